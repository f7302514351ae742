using System.Globalization;
using System.Text.Json.Nodes;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Actions.Files;

/// <summary>
/// Writes a file from text (the step's template, rendered): atomically (the transport writes a temporary file in the same
/// directory and renames it into place), the previous file kept on the host as <c>PATH.bak-RUN</c> (the run's short id)
/// when there was one. Arguments: host, path, content, mode (octal, default 0644), sudo (true/false). Outputs: sha256,
/// bytes. The content never reaches the transcript here (it may hold secrets; the argument line is redacted by the engine).
/// </summary>
public sealed class WriteFileAction : IStepAction
{
    public string Name => "writeFile";
    public IReadOnlyCollection<string> Arguments { get; } = ["host", "path", "content", "mode", "sudo"];
    public IReadOnlyCollection<string> Outputs { get; } = ["sha256", "bytes"];

    public async Task ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var files = HostFileArguments.Files(context);
        var host = context.Host(context.RequiredArgument("host"));
        var path = context.RequiredArgument("path");
        // An empty file is a legitimate content; a missing argument is not.
        var content = context.Arguments.TryGetValue("content", out var c) ? c : throw new StepFailedException("writeFile needs the argument 'content'.");
        var mode = context.Argument("mode", "0644");
        var sudo = HostFileArguments.Sudo(context, Name);
        if (!path.StartsWith('/')) throw new StepFailedException($"writeFile: the path '{path}' must be absolute.");

        string? backup = null;
        if (await HostBackup.ExistsAsync(context, host, path, sudo, cancellationToken))
            backup = await HostBackup.KeepAsync(context, host, path, context.RunId.ToString("N")[..8], sudo, cancellationToken);
        FileTransfer written;
        try { written = await files.WriteAsync(host, path, new MemoryStream(HostFileArguments.Bytes(content)), new FileWriteOptions(Sudo: sudo, Mode: mode), cancellationToken); }
        catch (ArgumentException e) { throw new StepFailedException($"writeFile: {e.Message}", inner: e); } // a mode like "rw"
        context.Output.Line(OutputStream.Stdout, $"console -> {host.Name}:{written.Path} ({written.Bytes} bytes, sha256 {written.Sha256}, mode {mode})" +
                                                 (backup is null ? ", a new file" : $", the previous file kept as {backup}"));
        context.SetOutput("sha256", JsonValue.Create(written.Sha256));
        context.SetOutput("bytes", JsonValue.Create(written.Bytes.ToString(CultureInfo.InvariantCulture)));
    }
}
