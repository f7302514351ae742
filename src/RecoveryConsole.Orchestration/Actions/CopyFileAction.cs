using System.Text.Json.Nodes;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Actions;

/// <summary>
/// Copies a file from one host to another through the console (hosts of a broken cluster may not reach each other, and
/// the console holds the only SSH access): read into an owner-only temporary file, written to the target atomically,
/// each transfer verified by its transport, and the source host's SHA-256 compared with the target host's. The
/// temporary file is removed whatever happens. Arguments: fromHost, path, toHost, toPath, sudo (true/false, both ends),
/// mode (an octal mode such as 0600; default 0600). Outputs: sha256, bytes.
/// </summary>
public sealed class CopyFileAction : IStepAction
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public string Name => "copyFile";
    public IReadOnlyCollection<string> Arguments { get; } = ["fromHost", "path", "toHost", "toPath", "sudo", "mode"];
    public IReadOnlyCollection<string> Outputs { get; } = ["sha256", "bytes"];

    public async Task ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var files = context.Files ?? throw new StepFailedException($"The transport of {context.Cluster?.Name} cannot copy files.");
        var from = context.Host(context.RequiredArgument("fromHost"));
        var to = context.Host(context.RequiredArgument("toHost"));
        var path = context.RequiredArgument("path");
        var toPath = context.RequiredArgument("toPath");
        var sudo = context.Argument("sudo", "false") switch
        {
            "true" => true,
            "false" => false,
            var other => throw new StepFailedException($"copyFile: sudo must be true or false, not '{other}'."),
        };
        var mode = context.Argument("mode", "0600");

        var temp = Path.Combine(Path.GetTempPath(), $"rc-copyfile-{Guid.NewGuid():N}");
        try
        {
            FileTransfer read, written;
            await using (var local = new FileStream(temp, new FileStreamOptions
                         {
                             Mode = FileMode.CreateNew, Access = FileAccess.ReadWrite, Share = FileShare.None, UnixCreateMode = OwnerOnly,
                             Options = FileOptions.Asynchronous,
                         }))
            {
                try
                {
                    read = await files.ReadAsync(from, path, local, sudo, cancellationToken);
                    context.Output.Line(OutputStream.Stdout, $"{from.Name}:{read.Path} -> console ({read.Bytes} bytes, sha256 {read.Sha256})");
                    local.Position = 0;
                    written = await files.WriteAsync(to, toPath, local, new FileWriteOptions(Sudo: sudo, Mode: mode), cancellationToken);
                }
                catch (ArgumentException e) { throw new StepFailedException($"copyFile: {e.Message}", inner: e); } // a relative path, a mode like "rw"
            }
            if (written.Sha256 != read.Sha256 || written.Bytes != read.Bytes)
                throw new StepFailedException($"{to.Name}:{written.Path} ({written.Bytes} bytes, sha256 {written.Sha256}) differs from {from.Name}:{read.Path} " +
                                              $"({read.Bytes} bytes, sha256 {read.Sha256}).");
            context.Output.Line(OutputStream.Stdout, $"console -> {to.Name}:{written.Path} ({written.Bytes} bytes, sha256 {written.Sha256}, {mode})");
            context.SetOutput("sha256", JsonValue.Create(written.Sha256));
            context.SetOutput("bytes", JsonValue.Create(written.Bytes.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        finally { File.Delete(temp); }
    }
}
