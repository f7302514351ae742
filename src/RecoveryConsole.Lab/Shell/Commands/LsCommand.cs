namespace RecoveryConsole.Lab.Shell.Commands;

/// <summary>
/// ls [-1aAvr] [PATH...]: one name per line (output is never a terminal). -v sorts version-wise,
/// which cluster-restore.sh relies on to pick the newest backup.
/// </summary>
internal sealed class LsCommand : ILabCommand
{
    public string Name => "ls";

    public async Task<int> RunAsync(LabCommandContext context)
    {
        bool all = false, version = false, reverse = false;
        var operands = new List<string>();
        foreach (var arg in context.Args)
        {
            if (arg.Length < 2 || arg[0] != '-')
            {
                operands.Add(arg);
                continue;
            }
            foreach (var flag in arg[1..])
            {
                switch (flag)
                {
                    case '1': break;
                    case 'a' or 'A': all = true; break;
                    case 'v': version = true; break;
                    case 'r': reverse = true; break;
                    default:
                        await context.ErrAsync($"ls: invalid option -- '{flag}'").ConfigureAwait(false);
                        return 2;
                }
            }
        }
        if (operands.Count == 0) operands.Add(".");

        var status = 0;
        var files = context.Host.FileSystem;
        var directories = new List<string>();
        foreach (var operand in operands)
        {
            var path = context.ResolvePath(operand);
            if (files.FileExists(path)) await context.OutAsync(operand).ConfigureAwait(false);
            else if (files.DirectoryExists(path)) directories.Add(operand);
            else
            {
                await context.ErrAsync($"ls: cannot access '{operand}': No such file or directory").ConfigureAwait(false);
                status = 2;
            }
        }
        foreach (var operand in directories)
        {
            if (operands.Count > 1) await context.OutAsync($"{operand}:").ConfigureAwait(false);
            var names = (files.List(context.ResolvePath(operand)) ?? []).Where(n => all || !n.StartsWith('.'));
            var sorted = (version ? names.Order(NaturalOrder.Instance) : names.Order(StringComparer.Ordinal)).ToList();
            if (reverse) sorted.Reverse();
            foreach (var name in sorted) await context.OutAsync(name).ConfigureAwait(false);
        }
        return status;
    }
}
