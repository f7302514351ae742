namespace RecoveryConsole.Lab.Shell.Commands;

/// <summary>mkdir [-pv] DIRECTORY...</summary>
internal sealed class MkdirCommand : ILabCommand
{
    public string Name => "mkdir";

    public async Task<int> RunAsync(LabCommandContext context)
    {
        var (flags, operands, error) = FileCommandSupport.Parse(context.Args, "pv", new Dictionary<string, char> { ["--parents"] = 'p', ["--verbose"] = 'v' });
        if (error is not null || operands.Count == 0)
        {
            await context.ErrAsync(error is not null ? $"mkdir: {error}" : "mkdir: missing operand").ConfigureAwait(false);
            return 1;
        }
        var files = context.Host.FileSystem;
        var status = 0;
        foreach (var operand in operands)
        {
            var path = context.ResolvePath(operand);
            if (files.DirectoryExists(path) || files.FileExists(path))
            {
                if (flags.Contains('p') && files.DirectoryExists(path)) continue;
                await context.ErrAsync($"mkdir: cannot create directory '{operand}': File exists").ConfigureAwait(false);
                status = 1;
                continue;
            }
            if (!flags.Contains('p') && !files.DirectoryExists(Hosts.LabFileSystem.ParentOf(path)))
            {
                await context.ErrAsync($"mkdir: cannot create directory '{operand}': No such file or directory").ConfigureAwait(false);
                status = 1;
                continue;
            }
            if (!FileCommandSupport.MayWrite(context, path))
            {
                await context.ErrAsync($"mkdir: cannot create directory '{operand}': Permission denied").ConfigureAwait(false);
                status = 1;
                continue;
            }
            files.CreateDirectory(path);
            if (flags.Contains('v')) await context.OutAsync($"mkdir: created directory '{operand}'").ConfigureAwait(false);
        }
        return status;
    }
}
