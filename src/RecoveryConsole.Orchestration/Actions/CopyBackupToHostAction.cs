using System.Text.Json.Nodes;
using RecoveryConsole.Orchestration.Artifacts;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Procedures.Rendering;

namespace RecoveryConsole.Orchestration.Actions;

/// <summary>
/// Puts a backup set from the console's store into a directory on a host (5.3.2.2 step 3: the backup is copied to the
/// recovery host), as root, mode 0600, verified by SHA-256 on both ends. Refuses a set of another cluster, a set that
/// is not exactly one snapshot and one static pod resources archive, a target directory that already holds files
/// (cluster-restore.sh takes the newest pair it finds there), and a stored file that no longer matches its recorded
/// checksum: every file is verified before the first byte goes to the host.
/// </summary>
public sealed class CopyBackupToHostAction : IStepAction
{
    public string Name => "copyBackupToHost";
    public IReadOnlyCollection<string> Arguments { get; } = ["backupSet", "host", "directory"];
    public IReadOnlyCollection<string> Outputs { get; } = ["files"];

    public async Task ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var store = context.Artifacts ?? throw new StepFailedException("The console has no artifact store configured.");
        var files = context.Files ?? throw new StepFailedException($"The transport of {context.Cluster?.Name} cannot copy files.");
        var host = context.Host(context.RequiredArgument("host"));
        var directory = context.RequiredArgument("directory").TrimEnd('/');
        if (!directory.StartsWith('/')) throw new StepFailedException($"The backup directory '{directory}' must be an absolute path.");
        var set = await FindSetAsync(context, store, context.RequiredArgument("backupSet"), cancellationToken);

        foreach (var file in set.Files) await VerifyStoredAsync(store, file, cancellationToken);
        context.Output.Line(OutputStream.Stdout, $"backup set {set.Name}: {set.Files.Count} files verified in the console's store (OpenShift {set.ClusterVersion})");
        await RequireEmptyAsync(context, host, directory, cancellationToken);

        var copied = new JsonArray();
        foreach (var file in set.Files)
        {
            var path = $"{directory}/{file.Name}";
            FileTransfer transfer;
            try
            {
                await using var source = await store.OpenAsync(file.RunId, file.Name, cancellationToken);
                transfer = await files.WriteAsync(host, path, source, new FileWriteOptions(Sudo: true, Mode: "0600"), cancellationToken);
            }
            catch (InvalidDataException e) { throw new StepFailedException($"{file.Name}: {e.Message}", inner: e); }
            if (transfer.Sha256 != file.Sha256 || transfer.Bytes != file.Bytes)
                throw new StepFailedException($"{file.Name}: the host's copy ({transfer.Bytes} bytes, sha256 {transfer.Sha256}) differs from the stored backup ({file.Bytes} bytes, sha256 {file.Sha256}).");
            context.Output.Line(OutputStream.Stdout, $"console -> {host.Name}:{path} ({transfer.Bytes} bytes, sha256 {transfer.Sha256}, 0600)");
            copied.Add(new JsonObject { ["name"] = file.Name, ["sha256"] = transfer.Sha256, ["bytes"] = transfer.Bytes });
        }
        context.SetOutput("files", copied);
    }

    private static async Task<BackupSet> FindSetAsync(ActionContext context, IArtifactStore store, string name, CancellationToken cancellationToken)
    {
        var cluster = context.Cluster?.Name ?? throw new StepFailedException("copyBackupToHost needs a cluster.");
        var set = (await BackupSets.FindAsync(store, new Dictionary<string, string> { ["backupSet"] = name }, cancellationToken)).SingleOrDefault()
            ?? throw new StepFailedException($"The console's store has no backup set '{name}'.");
        if (set.Cluster != cluster)
            throw new StepFailedException($"Backup set {name} was taken on cluster {set.Cluster}, not {cluster}: restoring it would give {cluster} another cluster's state. Nothing was copied.");
        if (set.Problem() is { } problem) throw new StepFailedException($"The {problem}. Nothing was copied.");
        return set;
    }

    /// <summary>Reads the stored file to its end: the store's stream checks size and SHA-256 against what was recorded.</summary>
    private static async Task VerifyStoredAsync(IArtifactStore store, Artifact file, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await store.OpenAsync(file.RunId, file.Name, cancellationToken);
            await stream.CopyToAsync(Stream.Null, cancellationToken);
        }
        catch (Exception e) when (e is InvalidDataException or FileNotFoundException)
        {
            throw new StepFailedException($"{e.Message} Nothing was copied to the host.", inner: e);
        }
    }

    /// <summary>A missing directory is fine (it is created); one with any entry is refused.</summary>
    private static async Task RequireEmptyAsync(ActionContext context, HostInfo host, string directory, CancellationToken cancellationToken)
    {
        var list = await HostCommand.RunAsync(context, host, $"sudo -n ls -A {ShellQuote.Quote(directory)}", cancellationToken);
        if (list.ExitCode == 0 && list.Stdout.Count == 0) return;
        if (list.ExitCode == 0)
            throw new StepFailedException($"{host.Name}:{directory} is not empty ({string.Join(", ", list.Stdout.Take(5))}{(list.Stdout.Count > 5 ? ", ..." : "")}): " +
                "cluster-restore.sh would pick whichever backup sorts last. Choose an empty or new directory. Nothing was copied.");
        if (list.Stderr.Any(l => l.Contains("No such file or directory", StringComparison.Ordinal))) return;
        throw new StepFailedException($"Cannot tell whether {host.Name}:{directory} is empty: ls exited {list.ExitCode} ({string.Join(" ", list.Stderr.TakeLast(2))}).");
    }
}
