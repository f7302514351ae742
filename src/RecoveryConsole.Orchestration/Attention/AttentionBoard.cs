using Microsoft.Extensions.Hosting;
using RecoveryConsole.Orchestration.Approvals;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Runs;

namespace RecoveryConsole.Orchestration.Attention;

/// <summary>
/// Every step, across runs, that waits for a person right now, kept from <see cref="RunFeed.WatchAsync"/>; pages show the
/// part that is for the signed-in person (<see cref="For"/>) and refresh on <see cref="Changed"/>. Nothing waits across a
/// restart (runs found active are Interrupted), so watching from start-up sees everything.
/// </summary>
public sealed class AttentionBoard(RunFeed feed) : BackgroundService
{
    private readonly Lock _lock = new();
    private Dictionary<Guid, IReadOnlyList<WaitingItem>> _byRun = [];

    /// <summary>Raised after any change of what waits; handlers must be quick (pages re-render).</summary>
    public event Action? Changed;

    public IReadOnlyList<WaitingItem> All
    {
        get
        {
            lock (_lock) return _byRun.Values.SelectMany(i => i).OrderBy(i => i.Since).ToList();
        }
    }

    public IReadOnlyList<WaitingItem> For(Actor actor) => All.Where(i => i.IsFor(actor)).ToList();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var view in feed.WatchAsync(stoppingToken)) Take(view);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    /// <summary>Applies one run snapshot (public for tests that feed snapshots directly).</summary>
    public void Take(RunView view)
    {
        var items = Waiting(view);
        lock (_lock)
        {
            var had = _byRun.TryGetValue(view.Id, out var before);
            if (items.Count == 0 && !had) return;
            if (had && before!.Select(Key).SequenceEqual(items.Select(Key))) return;
            var next = new Dictionary<Guid, IReadOnlyList<WaitingItem>>(_byRun);
            if (items.Count == 0) next.Remove(view.Id);
            else next[view.Id] = items;
            _byRun = next;
        }
        Changed?.Invoke();
    }

    private static (WaitingKind, string, DateTimeOffset) Key(WaitingItem i) => (i.Kind, i.StepPath, i.Since);

    private static List<WaitingItem> Waiting(RunView view)
    {
        if (!view.Status.IsActive()) return [];
        var clusters = view.ClusterNames;
        var actors = view.Actors ?? [view.StartedBy];
        WaitingItem Item(WaitingKind kind, string path, string title, DateTimeOffset since) =>
            new(view.Id, view.ProcedureTitle, view.ClusterName, view.IsDrill, clusters, kind, path, title, since, actors);
        var items = view.Approvals.Where(a => a.Decision == ApprovalDecision.Pending)
            .Select(a => Item(WaitingKind.Approval, a.StepPath, a.StepTitle, a.RequestedAt)).ToList();
        items.AddRange(view.Steps.Where(s => s.Status == StepStatus.WaitingForOperator).DistinctBy(s => s.StepPath)
            .Select(s => Item(s.InputRequestJson is null ? WaitingKind.Confirmation : WaitingKind.Answer, s.StepPath, s.Title,
                s.StartedAt ?? view.CreatedAt)));
        return items;
    }
}
