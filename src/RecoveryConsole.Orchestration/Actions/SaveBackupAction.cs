using System.Text.Json.Nodes;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Actions;

/// <summary>
/// Copies files off a host into the run's artifacts (the console's backup store), verified by SHA-256 on both ends,
/// labelled so that a later restore finds them: kind=etcd-backup, cluster, clusterVersion and backupSet (shared by the
/// files of one backup). Root-owned files are read with sudo.
/// </summary>
public sealed class SaveBackupAction : IStepAction
{
    public string Name => "saveBackup";
    public IReadOnlyCollection<string> Arguments { get; } = ["host", "directory", "files", "clusterVersion", "set"];
    public IReadOnlyCollection<string> Outputs { get; } = ["artifacts", "set"];

    public async Task ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var host = context.Host(context.RequiredArgument("host"));
        var files = context.Files ?? throw new StepFailedException($"The transport of {context.Cluster?.Name} cannot copy files.");
        var store = context.Artifacts ?? throw new StepFailedException("The console has no artifact store configured.");
        var directory = context.RequiredArgument("directory").TrimEnd('/');
        var names = KubeObjects.ListArgument(context, "files");
        if (names.Count == 0) throw new StepFailedException("There is no file to save.");
        var set = context.Argument("set", $"{context.Cluster?.Name}-{context.Clock.GetUtcNow():yyyyMMdd-HHmmss}");
        var saved = new JsonArray();
        foreach (var name in names)
        {
            var path = $"{directory}/{name}";
            var temp = Path.GetTempFileName();
            try
            {
                FileTransfer transfer;
                await using (var local = File.Create(temp))
                    transfer = await files.ReadAsync(host, path, local, sudo: true, cancellationToken);
                await using var read = File.OpenRead(temp);
                var artifact = await store.SaveAsync(context.RunId, name, read, $"{host.Name}:{path}", new Dictionary<string, string>
                {
                    ["kind"] = "etcd-backup",
                    ["cluster"] = context.Cluster?.Name ?? "",
                    ["clusterVersion"] = context.Argument("clusterVersion", context.Cluster?.Version ?? ""),
                    ["backupSet"] = set,
                }, cancellationToken);
                if (artifact.Sha256 != transfer.Sha256)
                    throw new StepFailedException($"{name}: the stored copy's SHA-256 {artifact.Sha256} differs from the host's {transfer.Sha256}.");
                context.Output.Line(OutputStream.Stdout, $"{host.Name}:{path} -> console ({artifact.Bytes} bytes, sha256 {artifact.Sha256})");
                saved.Add(new JsonObject { ["name"] = name, ["sha256"] = artifact.Sha256, ["bytes"] = artifact.Bytes });
            }
            finally { File.Delete(temp); }
        }
        context.SetOutput("artifacts", saved);
        context.SetOutput("set", JsonValue.Create(set));
    }
}
