using System.Collections.Concurrent;
using RecoveryConsole.Orchestration.Clusters;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Procedures.Model;

namespace RecoveryConsole.Orchestration.Engine;

/// <summary>
/// A run that this process is executing: the aggregate, what it runs against, its lock and its bookmarks
/// (approvals and operator confirmations it is suspended on). Every change to the aggregate happens under the lock.
/// </summary>
internal sealed class ActiveRun(Run run, Procedure procedure, ClusterConnection cluster, IReadOnlyDictionary<string, string> parameters)
{
    public Run Run { get; } = run;
    public Procedure Procedure { get; } = procedure;
    public ClusterConnection Cluster { get; } = cluster;
    public IReadOnlyDictionary<string, string> Parameters { get; } = parameters;
    /// <summary>A multi-cluster run's connections by role (the main role's is <see cref="Cluster"/>); empty for one cluster.</summary>
    public IReadOnlyDictionary<string, ClusterConnection> Roles { get; init; } = new Dictionary<string, ClusterConnection>();

    /// <summary>The connection a step with <c>cluster: role</c> uses; no role: the main cluster.</summary>
    public ClusterConnection For(string? role) =>
        role is null ? Cluster : Roles.TryGetValue(role, out var c) ? c : throw new StepFailedException($"The run has no cluster for the role '{role}'.");

    /// <summary>Role → cluster name, in the procedure's order; empty for a one-cluster run.</summary>
    public IReadOnlyDictionary<string, string> RoleNames =>
        Procedure.Clusters.Where(c => Roles.ContainsKey(c.Name)).ToDictionary(c => c.Name, c => Roles[c.Name].Info.Name);
    public SemaphoreSlim Lock { get; } = new(1, 1);
    public CancellationTokenSource Stop { get; } = new();
    public ConcurrentDictionary<string, TaskCompletionSource<Bookmark>> Bookmarks { get; } = new();
    public Task Execution { get; set; } = Task.CompletedTask;
    /// <summary>Captured values and operators' answers (rebuilt from the step records on a resume).</summary>
    public RunVariables Variables { get; init; } = new();

    /// <summary>Why the run is being stopped: by an operator (Cancelled) or by the console shutting down (Interrupted).</summary>
    public volatile string? CancelReason;
    public volatile bool ShuttingDown;
}

/// <summary>
/// What resumes a suspended step: an approval decision or an operator's confirmation. Renew: the approval lapsed
/// (expired) and the step asks again; BreakGlass: approved alone by an operator.
/// </summary>
internal sealed record Bookmark(bool Proceed, string Actor, string? Text, IReadOnlyList<string>? Values = null, bool Renew = false, bool BreakGlass = false);
