using System.Globalization;
using System.Text.Json.Nodes;
using RecoveryConsole.Orchestration.Artifacts;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Actions.Files;

/// <summary>
/// Brings a file from a host into the run's artifacts: read through an owner-only temporary file, stored, and the
/// stored copy's SHA-256 compared with the one the host computed. Arguments: host, path, name (the artifact's name),
/// sudo (true/false). Outputs: artifact, sha256, bytes. Labels: kind=host-file, host, path.
/// </summary>
public sealed class DownloadFileAction : IStepAction
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public string Name => "downloadFile";
    public IReadOnlyCollection<string> Arguments { get; } = ["host", "path", "name", "sudo"];
    public IReadOnlyCollection<string> Outputs { get; } = ["artifact", "sha256", "bytes"];

    public async Task ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var files = HostFileArguments.Files(context);
        var store = context.Artifacts ?? throw new StepFailedException("The console has no artifact store configured.");
        var host = context.Host(context.RequiredArgument("host"));
        var path = context.RequiredArgument("path");
        var name = context.RequiredArgument("name");
        var sudo = HostFileArguments.Sudo(context, Name);

        var temp = Path.Combine(Path.GetTempPath(), $"rc-download-{Guid.NewGuid():N}");
        try
        {
            FileTransfer read;
            await using (var local = new FileStream(temp, new FileStreamOptions
                         {
                             Mode = FileMode.CreateNew, Access = FileAccess.ReadWrite, Share = FileShare.None, UnixCreateMode = OwnerOnly,
                             Options = FileOptions.Asynchronous,
                         }))
            {
                try { read = await files.ReadAsync(host, path, local, sudo, cancellationToken); }
                catch (ArgumentException e) { throw new StepFailedException($"downloadFile: {e.Message}", inner: e); }
            }
            Artifact artifact;
            await using (var source = File.OpenRead(temp))
            {
                try
                {
                    artifact = await store.SaveAsync(context.RunId, name, source, $"{host.Name}:{read.Path}", new Dictionary<string, string>
                    {
                        ["kind"] = "host-file",
                        ["host"] = host.Name,
                        ["path"] = read.Path,
                    }, cancellationToken);
                }
                catch (ArgumentException e) { throw new StepFailedException($"downloadFile: {e.Message}", inner: e); } // a name with a slash
            }
            if (artifact.Sha256 != read.Sha256 || artifact.Bytes != read.Bytes)
                throw new StepFailedException($"The stored copy {artifact.Name} ({artifact.Bytes} bytes, sha256 {artifact.Sha256}) differs from " +
                                              $"{host.Name}:{read.Path} ({read.Bytes} bytes, sha256 {read.Sha256}).");
            context.Output.Line(OutputStream.Stdout, $"{host.Name}:{read.Path} -> artifact {artifact.Name} ({artifact.Bytes} bytes, sha256 {artifact.Sha256})");
            context.SetOutput("artifact", JsonValue.Create(artifact.Name));
            context.SetOutput("sha256", JsonValue.Create(artifact.Sha256));
            context.SetOutput("bytes", JsonValue.Create(artifact.Bytes.ToString(CultureInfo.InvariantCulture)));
        }
        finally { File.Delete(temp); }
    }
}
