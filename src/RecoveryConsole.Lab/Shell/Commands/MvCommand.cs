namespace RecoveryConsole.Lab.Shell.Commands;

/// <summary>
/// mv [-fiv] SOURCE... DEST as GNU mv: into DEST when it is a directory, -v prints "renamed 'a' -> 'b'".
/// Outside /home/core and /tmp it needs sudo. The kubelet notices manifests moved in or out at once.
/// </summary>
internal sealed class MvCommand : ILabCommand
{
    public string Name => "mv";

    public async Task<int> RunAsync(LabCommandContext context)
    {
        var (flags, operands, error) = FileCommandSupport.Parse(context.Args, "fivnT", new Dictionary<string, char> { ["--verbose"] = 'v', ["--force"] = 'f' });
        if (error is not null)
        {
            await context.ErrAsync($"mv: {error}").ConfigureAwait(false);
            await context.ErrAsync("Try 'mv --help' for more information.").ConfigureAwait(false);
            return 1;
        }
        operands = operands.SelectMany(o => FileCommandSupport.Expand(context, o)).ToList();
        if (operands.Count < 2)
        {
            await context.ErrAsync(operands.Count == 0 ? "mv: missing file operand" : $"mv: missing destination file operand after '{operands[0]}'").ConfigureAwait(false);
            await context.ErrAsync("Try 'mv --help' for more information.").ConfigureAwait(false);
            return 1;
        }
        var files = context.Host.FileSystem;
        var target = operands[^1];
        var targetPath = context.ResolvePath(target);
        var intoDirectory = files.DirectoryExists(targetPath) && !flags.Contains('T');
        if (operands.Count > 2 && !intoDirectory)
        {
            await context.ErrAsync($"mv: target '{target}' is not a directory").ConfigureAwait(false);
            return 1;
        }

        var status = 0;
        foreach (var source in operands[..^1])
        {
            var sourcePath = context.ResolvePath(source);
            var sourceIsDirectory = files.DirectoryExists(sourcePath);
            if (!sourceIsDirectory && !files.FileExists(sourcePath))
            {
                await context.ErrAsync($"mv: cannot stat '{source}': No such file or directory").ConfigureAwait(false);
                status = 1;
                continue;
            }
            var destination = intoDirectory ? targetPath.TrimEnd('/') + "/" + FileCommandSupport.Name(sourcePath) : targetPath;
            var shown = intoDirectory ? target.TrimEnd('/') + "/" + FileCommandSupport.Name(sourcePath) : target;
            if (!FileCommandSupport.MayWrite(context, sourcePath) || !FileCommandSupport.MayWrite(context, destination))
            {
                await context.ErrAsync($"mv: cannot move '{source}' to '{shown}': Permission denied").ConfigureAwait(false);
                status = 1;
                continue;
            }
            if (files.DirectoryExists(destination))
            {
                if (!sourceIsDirectory)
                {
                    await context.ErrAsync($"mv: cannot overwrite directory '{shown}' with non-directory").ConfigureAwait(false);
                    status = 1;
                    continue;
                }
                if ((files.List(destination) ?? []).Count > 0)
                {
                    await context.ErrAsync($"mv: cannot move '{source}' to '{shown}': Directory not empty").ConfigureAwait(false);
                    status = 1;
                    continue;
                }
                files.Delete(destination);
            }
            else if (files.FileExists(destination))
            {
                if (sourceIsDirectory)
                {
                    await context.ErrAsync($"mv: cannot overwrite non-directory '{shown}' with directory '{source}'").ConfigureAwait(false);
                    status = 1;
                    continue;
                }
                files.Delete(destination);
            }
            try
            {
                files.Move(sourcePath, destination);
            }
            catch (IOException e)
            {
                await context.ErrAsync($"mv: cannot move '{source}' to '{shown}': {Reason(e.Message)}").ConfigureAwait(false);
                status = 1;
                continue;
            }
            if (flags.Contains('v')) await context.OutAsync($"renamed '{source}' -> '{shown}'").ConfigureAwait(false);
        }
        return status;
    }

    private static string Reason(string message) => message.Contains("No such file", StringComparison.Ordinal) ? "No such file or directory" : message;
}
