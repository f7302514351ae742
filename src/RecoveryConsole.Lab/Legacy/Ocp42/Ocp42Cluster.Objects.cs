using System.Text.Json.Nodes;
using RecoveryConsole.Lab.Api;
using RecoveryConsole.Lab.Health;

namespace RecoveryConsole.Lab.Legacy.Ocp42;

// What an administrator did through the API of a 4.2/4.3 cluster: objects created (a workload) and deleted. Objects
// deleted this way are what the cluster's owners need back: health reports each one missing until it exists again,
// judged from the API's keyspace (a restore of a snapshot that holds it brings it back; nothing else does).
public sealed partial class Ocp42Cluster
{
    private readonly SortedSet<string> _deletedByAdministrator = new(StringComparer.Ordinal);

    /// <summary>Writes an object straight into the cluster's keyspace (what someone did through the API).</summary>
    public void WriteObject(string path, JsonObject obj)
    {
        lock (Sync)
        {
            Cluster.Api.Put(path, obj);
            Reconcile();
        }
    }

    /// <summary>Deletes an object; a namespace takes everything in it along, as namespace deletion does.</summary>
    public void DeleteObject(string path)
    {
        lock (Sync)
        {
            var parsed = ResourcePath.Parse(path) is { Name: not null, Subresource: null } p ? p : throw new ArgumentException($"'{path}' is not an object path", nameof(path));
            if (Cluster.Api.Get(path) is null) throw new ArgumentException($"{path} does not exist, so it cannot be deleted", nameof(path));
            var removed = new List<string> { path };
            if (parsed is { Group: "", Resource: "namespaces", Namespace: null, Name: { } ns })
                removed.AddRange(Cluster.Api.ExportObjects().Keys.Where(k => k.Contains($"/namespaces/{ns}/", StringComparison.Ordinal)));
            foreach (var key in removed.Distinct(StringComparer.Ordinal))
            {
                Cluster.Api.Remove(key);
                _deletedByAdministrator.Add(key);
            }
            Reconcile();
        }
    }

    /// <summary>Each object an administrator deleted that the keyspace does not hold again.</summary>
    private void DiagnoseDeletedObjects(List<LabProblem> problems)
    {
        foreach (var path in _deletedByAdministrator.Where(p => Cluster.Api.Get(p) is null))
            problems.Add(new LabProblem("critical-object-missing", path, $"{path} was deleted and is not back"));
    }
}
