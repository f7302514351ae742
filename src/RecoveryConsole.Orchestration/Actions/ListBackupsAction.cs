using System.Globalization;
using System.Text.Json.Nodes;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Actions;

/// <summary>
/// The etcd backups of this cluster in the console's store (what saveBackup kept), for a restore to offer. Output
/// <c>backups</c>: objects {set, clusterVersion, createdAt, files} newest first; <c>newest</c>: the newest set ("" when
/// none); <c>count</c>. Sets of other clusters are never listed: their snapshot would restore another cluster's state.
/// </summary>
public sealed class ListBackupsAction : IStepAction
{
    public string Name => "listBackups";
    public IReadOnlyCollection<string> Arguments { get; } = [];
    public IReadOnlyCollection<string> Outputs { get; } = ["backups", "newest", "count"];

    public async Task ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var store = context.Artifacts ?? throw new StepFailedException("The console has no artifact store configured.");
        var cluster = context.Cluster?.Name ?? throw new StepFailedException("listBackups needs a cluster.");
        var sets = await BackupSets.FindAsync(store, new Dictionary<string, string> { ["cluster"] = cluster }, cancellationToken);
        var backups = new JsonArray();
        context.Output.Line(OutputStream.Stdout, $"{"SET",-40} {"VERSION",-10} {"CREATED (UTC)",-20} FILES");
        foreach (var set in sets)
        {
            var created = set.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            context.Output.Line(OutputStream.Stdout, $"{set.Name,-40} {set.ClusterVersion,-10} {created,-20} {string.Join(" ", set.Files.Select(f => f.Name))}");
            backups.Add(new JsonObject
            {
                ["set"] = set.Name,
                ["clusterVersion"] = set.ClusterVersion,
                ["createdAt"] = created,
                ["files"] = KubeObjects.Strings(set.Files.Select(f => f.Name)),
            });
        }
        if (sets.Count == 0) context.Output.Line(OutputStream.Stdout, $"(no backup of {cluster} in the console's store)");
        context.SetOutput("backups", backups);
        context.SetOutput("newest", JsonValue.Create(sets.Count > 0 ? sets[0].Name : ""));
        context.SetOutput("count", JsonValue.Create(sets.Count.ToString(CultureInfo.InvariantCulture)));
    }
}
