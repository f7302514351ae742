using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Procedures.Model;

namespace RecoveryConsole.Web.Runs;

/// <summary>A line of the run page's step list: a procedure step (Depth 0) or one of its executions per host / per iteration.</summary>
public sealed record StepRow(
    string Key, string Title, string Section, StepStatus? Status, bool Destructive, int Depth, string Host,
    DateTimeOffset? StartedAt, DateTimeOffset? EndedAt, string? Message, string FilterPath, int Attempts, int? ExitCode,
    string? Note, string? ConfirmedBy, IReadOnlyList<CapturedValue>? Captured = null, bool Answered = false)
{
    /// <summary>Values this line's records captured or the operator gave.</summary>
    public IReadOnlyList<CapturedValue> Values => Captured ?? [];
}

/// <summary>
/// Merges the procedure definition (every step, also those not reached yet) with the run's executions, so the list
/// shows the whole procedure from the start and fills in as the run goes.
/// </summary>
public static class StepRows
{
    public const string PreflightPath = "preflight";

    public static IReadOnlyList<StepRow> Build(Procedure? procedure, RunView view)
    {
        var rows = new List<StepRow>();
        var definitions = procedure?.AllSteps().ToDictionary(s => s.Path, StringComparer.Ordinal) ?? [];

        var preflight = view.Steps.Where(s => s.StepPath.StartsWith(PreflightPath, StringComparison.Ordinal)).ToList();
        if (preflight.Count > 0 || procedure?.Preflight.Count > 0)
        {
            rows.Add(new StepRow(PreflightPath, $"Preflight checks ({procedure?.Preflight.Count ?? preflight.Count(s => s.Host == "")})", "",
                Aggregate(preflight), false, 0, "", preflight.Min(s => s.StartedAt), preflight.All(s => s.EndedAt is not null) ? preflight.Max(s => s.EndedAt) : null,
                preflight.LastOrDefault(s => s.Status == StepStatus.Failed)?.Message, PreflightPath, 1, null, null, null, Captured: []));
            rows.AddRange(Executions(preflight, definitions, depthBase: 1));
        }

        var tops = procedure?.Steps.Select(s => (s.Path, s.Title, s.Section, s.Destructive))
            ?? view.Steps.Where(s => s.Host == "" && !s.StepPath.Contains('/') && !s.StepPath.StartsWith(PreflightPath, StringComparison.Ordinal))
                .Select(s => (Path: s.StepPath, s.Title, Section: "", Destructive: false));
        foreach (var (path, title, section, destructive) in tops)
        {
            var summary = view.Step(path);
            var top = new StepRow(path, title, section, summary?.Status, destructive, 0, "", summary?.StartedAt, summary?.EndedAt,
                summary?.Message, path, summary?.Attempts ?? 0, summary?.ExitCode, summary?.Note, summary?.ConfirmedBy,
                CapturedValues.Read(summary?.OutputsJson), summary?.InputRequestJson is not null);
            var below = Executions(view.Steps.Where(s => s != summary && IsBelow(s.StepPath, path)).ToList(), definitions, depthBase: 1).ToList();
            if (below is [{ Depth: 1 } only] && only.FilterPath == path)
            {
                // One host only: one line, with the host on it.
                rows.Add(top with
                {
                    Host = only.Host, ExitCode = only.ExitCode, Attempts = Math.Max(top.Attempts, only.Attempts), Message = only.Message ?? top.Message,
                    Captured = [.. top.Values, .. only.Values.Where(v => top.Values.All(t => t.Name != v.Name))],
                });
                continue;
            }
            rows.Add(top);
            rows.AddRange(below);
        }
        return rows;
    }

    /// <summary>The share of top-level steps finished (succeeded or skipped), for the progress bar.</summary>
    public static (int Done, int Total) Progress(Procedure? procedure, RunView view)
    {
        var paths = procedure?.Steps.Select(s => s.Path).ToList()
            ?? view.Steps.Where(s => s.Host == "" && !s.StepPath.Contains('/')).Select(s => s.StepPath).ToList();
        return (paths.Count(p => view.Step(p)?.Status.IsDone() == true), paths.Count);
    }

    private static bool IsBelow(string instancePath, string top) =>
        instancePath == top || instancePath.StartsWith(top + "[", StringComparison.Ordinal) || instancePath.StartsWith(top + "/", StringComparison.Ordinal);

    /// <summary>
    /// Executions under a step, in the order they happened. Where a step has both a summary and per-host records,
    /// the per-host ones are shown (they carry host, exit code and message).
    /// </summary>
    private static IEnumerable<StepRow> Executions(List<StepView> records, Dictionary<string, StepDefinition> definitions, int depthBase)
    {
        var perHost = records.Where(r => r.Host != "").Select(r => r.StepPath).ToHashSet(StringComparer.Ordinal);
        foreach (var r in records)
        {
            if (r.Host == "" && perHost.Contains(r.StepPath)) continue;
            definitions.TryGetValue(r.DefinitionPath, out var definition);
            var depth = depthBase + r.StepPath.Count(c => c == '/') - (r.StepPath.StartsWith(PreflightPath, StringComparison.Ordinal) ? 1 : 0);
            // The host is shown as a badge: "Stop ... (master-1)" need not say it twice.
            var title = r.Host.Length > 0 && r.Title.EndsWith($" ({r.Host})", StringComparison.Ordinal) ? r.Title[..^(r.Host.Length + 3)] : r.Title;
            yield return new StepRow($"{r.StepPath}@{r.Host}", title, definition?.Section ?? "", r.Status, false, depth, r.Host,
                r.StartedAt, r.EndedAt, r.Message, r.StepPath, r.Attempts, r.ExitCode, r.Note, r.ConfirmedBy,
                CapturedValues.Read(r.OutputsJson), r.InputRequestJson is not null);
        }
    }

    private static StepStatus? Aggregate(List<StepView> records)
    {
        if (records.Count == 0) return null;
        StepStatus[] order = [StepStatus.Failed, StepStatus.Interrupted, StepStatus.Cancelled, StepStatus.Running, StepStatus.WaitingForApproval,
            StepStatus.WaitingForOperator, StepStatus.Pending];
        foreach (var s in order)
            if (records.Any(r => r.Status == s)) return s;
        return StepStatus.Succeeded;
    }
}
