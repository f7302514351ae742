namespace RecoveryConsole.Lab.Shell.Commands;

/// <summary>cat [FILE...]: files from the host's filesystem, stdin when none or "-".</summary>
internal sealed class CatCommand : ILabCommand
{
    public string Name => "cat";

    public async Task<int> RunAsync(LabCommandContext context)
    {
        var ct = context.CancellationToken;
        var status = 0;
        var operands = context.Args.Count == 0 ? ["-"] : context.Args;
        foreach (var operand in operands)
        {
            if (operand == "-")
            {
                await foreach (var line in context.Stdin.ReadLinesAsync(ct).ConfigureAwait(false))
                    await context.Stdout.WriteLineAsync(line, ct).ConfigureAwait(false);
                continue;
            }
            var path = context.ResolvePath(operand);
            if (context.Host.FileSystem.TryReadFile(path, out var content))
            {
                // Raw text: a file without a final newline joins the next output line, as in a terminal.
                await context.Stdout.WriteAsync(content, ct).ConfigureAwait(false);
                continue;
            }
            var reason = context.Host.FileSystem.DirectoryExists(path) ? "Is a directory" : "No such file or directory";
            await context.ErrAsync($"cat: {operand}: {reason}").ConfigureAwait(false);
            status = 1;
        }
        return status;
    }
}
