namespace RecoveryConsole.Lab.Shell.Commands;

/// <summary>rm [-frRv] FILE... with globs expanded; directories need -r; outside /home/core and /tmp it needs sudo.</summary>
internal sealed class RmCommand : ILabCommand
{
    public string Name => "rm";

    public async Task<int> RunAsync(LabCommandContext context)
    {
        var (flags, operands, error) = FileCommandSupport.Parse(context.Args, "frRvid",
            new Dictionary<string, char> { ["--force"] = 'f', ["--recursive"] = 'r', ["--verbose"] = 'v' });
        if (error is not null)
        {
            await context.ErrAsync($"rm: {error}").ConfigureAwait(false);
            return 1;
        }
        var force = flags.Contains('f');
        var recursive = flags.Contains('r') || flags.Contains('R');
        if (operands.Count == 0)
        {
            if (force) return 0;
            await context.ErrAsync("rm: missing operand").ConfigureAwait(false);
            return 1;
        }
        var files = context.Host.FileSystem;
        var status = 0;
        foreach (var operand in operands.SelectMany(o => FileCommandSupport.Expand(context, o)))
        {
            var path = context.ResolvePath(operand);
            var isDirectory = files.DirectoryExists(path);
            if (!isDirectory && !files.FileExists(path))
            {
                if (force) continue;
                await context.ErrAsync($"rm: cannot remove '{operand}': No such file or directory").ConfigureAwait(false);
                status = 1;
                continue;
            }
            if (isDirectory && !recursive)
            {
                await context.ErrAsync($"rm: cannot remove '{operand}': Is a directory").ConfigureAwait(false);
                status = 1;
                continue;
            }
            if (!FileCommandSupport.MayWrite(context, path))
            {
                await context.ErrAsync($"rm: cannot remove '{operand}': Permission denied").ConfigureAwait(false);
                status = 1;
                continue;
            }
            files.Delete(path);
            if (flags.Contains('v')) await context.OutAsync(isDirectory ? $"removed directory '{operand}'" : $"removed '{operand}'").ConfigureAwait(false);
        }
        return status;
    }
}
