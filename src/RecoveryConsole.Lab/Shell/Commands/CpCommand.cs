namespace RecoveryConsole.Lab.Shell.Commands;

/// <summary>cp [-aprRv] SOURCE... DEST: files, and directories with -r; -v prints "'a' -> 'b'".</summary>
internal sealed class CpCommand : ILabCommand
{
    public string Name => "cp";

    public async Task<int> RunAsync(LabCommandContext context)
    {
        var (flags, operands, error) = FileCommandSupport.Parse(context.Args, "aprRvf", new Dictionary<string, char> { ["--recursive"] = 'r', ["--verbose"] = 'v' });
        if (error is not null)
        {
            await context.ErrAsync($"cp: {error}").ConfigureAwait(false);
            return 1;
        }
        operands = operands.SelectMany(o => FileCommandSupport.Expand(context, o)).ToList();
        if (operands.Count < 2)
        {
            await context.ErrAsync(operands.Count == 0 ? "cp: missing file operand" : $"cp: missing destination file operand after '{operands[0]}'").ConfigureAwait(false);
            return 1;
        }
        var recursive = flags.Contains('r') || flags.Contains('R') || flags.Contains('a');
        var files = context.Host.FileSystem;
        var target = operands[^1];
        var targetPath = context.ResolvePath(target);
        var intoDirectory = files.DirectoryExists(targetPath);
        if (operands.Count > 2 && !intoDirectory)
        {
            await context.ErrAsync($"cp: target '{target}' is not a directory").ConfigureAwait(false);
            return 1;
        }
        var status = 0;
        foreach (var source in operands[..^1])
        {
            var sourcePath = context.ResolvePath(source);
            var destination = intoDirectory ? targetPath.TrimEnd('/') + "/" + FileCommandSupport.Name(sourcePath) : targetPath;
            var shown = intoDirectory ? target.TrimEnd('/') + "/" + FileCommandSupport.Name(sourcePath) : target;
            if (files.DirectoryExists(sourcePath))
            {
                if (!recursive)
                {
                    await context.ErrAsync($"cp: -r not specified; omitting directory '{source}'").ConfigureAwait(false);
                    status = 1;
                    continue;
                }
                if (!FileCommandSupport.MayWrite(context, destination))
                {
                    await context.ErrAsync($"cp: cannot create directory '{shown}': Permission denied").ConfigureAwait(false);
                    status = 1;
                    continue;
                }
                files.CreateDirectory(destination);
                foreach (var file in files.FilesUnder(sourcePath))
                {
                    files.TryReadFile(file, out var content);
                    files.WriteFile(destination + file[sourcePath.Length..], content);
                }
            }
            else if (files.TryReadFile(sourcePath, out var content))
            {
                if (!FileCommandSupport.MayWrite(context, destination))
                {
                    await context.ErrAsync($"cp: cannot create regular file '{shown}': Permission denied").ConfigureAwait(false);
                    status = 1;
                    continue;
                }
                if (!files.DirectoryExists(Hosts.LabFileSystem.ParentOf(destination)))
                {
                    await context.ErrAsync($"cp: cannot create regular file '{shown}': No such file or directory").ConfigureAwait(false);
                    status = 1;
                    continue;
                }
                files.WriteFile(destination, content);
            }
            else
            {
                await context.ErrAsync($"cp: cannot stat '{source}': No such file or directory").ConfigureAwait(false);
                status = 1;
                continue;
            }
            if (flags.Contains('v')) await context.OutAsync($"'{source}' -> '{shown}'").ConfigureAwait(false);
        }
        return status;
    }
}
