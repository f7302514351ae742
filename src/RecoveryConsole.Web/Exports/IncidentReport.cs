using System.Globalization;
using System.Text;
using RecoveryConsole.Orchestration.Audit;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Transcript;

namespace RecoveryConsole.Web.Exports;

/// <summary>
/// The Markdown post-incident report: what ran, against what, who started and approved it, the timeline, the operators'
/// notes, the outcome, and whether the transcript still matches the digest sealed when the run ended.
/// </summary>
public static class IncidentReport
{
    public static string Write(RunView run, IReadOnlyList<AuditEvent> runAudit, ExportEvidence evidence)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(evidence);
        var md = new StringBuilder();
        md.AppendLine($"# Post-incident report: {Text(run.ProcedureTitle)}").AppendLine();
        if (evidence.Transcript.EditedAfterSealing)
            md.AppendLine($"> **TRANSCRIPT EDITED AFTER SEALING**: {Text(evidence.Transcript.Finding)}").AppendLine();
        if (run.IsDrill)
            md.AppendLine($"> **DRILL**: run against the simulated cluster `{run.ClusterName}`; nothing real was changed.").AppendLine();

        md.AppendLine("| | |").AppendLine("| --- | --- |");
        Row(md, "Run", $"`{run.Id}`");
        Row(md, "Procedure", $"`{run.ProcedureId}` version `{run.ProcedureVersionHash}`");
        Row(md, "Cluster", run.ClusterName + (run.IsDrill ? " (simulated)" : ""));
        Row(md, "Started by", run.StartedBy);
        Row(md, "Created", Time(run.CreatedAt));
        Row(md, "Started", Time(run.StartedAt));
        Row(md, "Ended", Time(run.EndedAt));
        Row(md, "Duration", Duration(run.StartedAt, run.EndedAt));
        Row(md, "Outcome", $"**{run.Status}**{(string.IsNullOrEmpty(run.StatusReason) ? "" : $": {run.StatusReason}")}");
        md.AppendLine();

        md.AppendLine("## Parameters").AppendLine();
        if (run.Parameters.Count == 0) md.AppendLine("None.");
        else
        {
            md.AppendLine("| Parameter | Value |").AppendLine("| --- | --- |");
            foreach (var (name, value) in run.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal)) Row(md, name, $"`{value}`");
        }
        md.AppendLine();

        md.AppendLine("## Timeline").AppendLine();
        md.AppendLine("| Step | Host | Start (UTC) | End (UTC) | Duration | Outcome | Details |");
        md.AppendLine("| --- | --- | --- | --- | --- | --- | --- |");
        foreach (var s in run.Steps)
            md.AppendLine($"| {Cell(s.Title)} `{Cell(s.StepPath)}` | {Cell(s.Host)} | {Time(s.StartedAt)} | {Time(s.EndedAt)} | {Duration(s.StartedAt, s.EndedAt)} | {s.Status} | {Cell(Details(s))} |");
        md.AppendLine();

        md.AppendLine("## Approvals").AppendLine();
        if (run.Approvals.Count == 0) md.AppendLine("No destructive step asked for approval.");
        else
        {
            md.AppendLine("| Step | Requested by | Requested (UTC) | Decision | Decided by | Decided (UTC) | Reason |");
            md.AppendLine("| --- | --- | --- | --- | --- | --- | --- |");
            foreach (var a in run.Approvals)
                md.AppendLine($"| {Cell(a.StepTitle)} `{Cell(a.StepPath)}` | {Cell(a.RequestedBy)} | {Time(a.RequestedAt)} | {Decision(a)} | {Cell(a.DecidedBy ?? "")} | {Time(a.DecidedAt)} | {Cell(a.Reason ?? "")} |");
        }
        md.AppendLine();

        md.AppendLine("## Operator notes").AppendLine();
        var notes = run.Steps.Where(s => !string.IsNullOrWhiteSpace(s.Note)).ToList();
        if (notes.Count == 0) md.AppendLine("None.");
        foreach (var s in notes) md.AppendLine($"- **{Text(s.Title)}** (`{s.StepPath}`), confirmed by {s.ConfirmedBy}: {Text(s.Note!)}");
        md.AppendLine();

        var resumes = runAudit.Where(e => e.Kind is AuditKinds.RunResumed or AuditKinds.RunCancelRequested).ToList();
        if (resumes.Count > 0)
        {
            md.AppendLine("## Resumes and cancellations").AppendLine();
            foreach (var e in resumes) md.AppendLine($"- {Time(e.Time)} {e.Actor}: {e.Kind} {Text(e.Detail)}");
            md.AppendLine();
        }

        md.AppendLine("## Integrity").AppendLine();
        if (run.TranscriptDigest is { } digest && evidence.Transcript.State != TranscriptState.NotSealed)
            md.AppendLine($"- Transcript: sealed SHA-256 `{digest}` over {run.TranscriptLineCount} lines.");
        md.AppendLine(evidence.Transcript.State switch
        {
            TranscriptState.Intact => "- Verified now: **the transcript still matches its seal.**",
            TranscriptState.EditedAfterSealing => $"- Verified now: **{Text(evidence.Transcript.Message)}**",
            _ => $"- Transcript: {Text(evidence.Transcript.Message)}.",
        });
        md.AppendLine(evidence.Chain.Intact
            ? $"- Audit chain: intact (keyed, {evidence.Chain.Entries} entries, matches its outside anchor)."
            : $"- Audit chain: **{Text(evidence.Chain.Summary)}**");
        foreach (var finding in evidence.Chain.Findings.Skip(1)) md.AppendLine($"  - {Text(finding)}");
        md.AppendLine($"- Audit chain head: `{evidence.HeadText}`.");
        md.AppendLine($"- Signed with `{evidence.SigningKey}` (public key at `{ExportSigner.PublicKeyPath}`; signature in the `{SignedExport.SignatureHeader}` response header).");
        md.AppendLine().AppendLine($"_Generated {Time(DateTimeOffset.UtcNow)} by RecoveryConsole._");
        return md.ToString();
    }

    private static string Details(StepView s)
    {
        var parts = new List<string>();
        if (s.ExitCode is { } exit) parts.Add($"exit {exit}");
        if (s.Attempts > 1) parts.Add($"{s.Attempts} attempts");
        if (!string.IsNullOrWhiteSpace(s.Message)) parts.Add(s.Message!);
        if (!string.IsNullOrWhiteSpace(s.Note)) parts.Add($"note by {s.ConfirmedBy}: {s.Note}");
        return string.Join("; ", parts);
    }

    private static void Row(StringBuilder md, string name, string value) => md.AppendLine($"| {name} | {Cell(value)} |");

    private static string Time(DateTimeOffset? t) => t?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "";

    private static string Duration(DateTimeOffset? start, DateTimeOffset? end) =>
        start is null || end is null ? "" : Format(end.Value - start.Value);

    /// <summary>A break-glass approval reads as such in the report, with its review (or that none happened yet).</summary>
    private static string Decision(ApprovalView a) => !a.BreakGlass ? a.Decision.ToString()
        : $"**BREAK-GLASS** {a.Decision} alone, {(a.ReviewedBy is { } r ? $"reviewed by {Cell(r)} {Time(a.ReviewedAt)}" : "not reviewed yet")}";

    public static string Format(TimeSpan t) => t.TotalHours >= 1 ? $"{(int)t.TotalHours}h{t.Minutes:00}m{t.Seconds:00}s"
        : t.TotalMinutes >= 1 ? $"{t.Minutes}m{t.Seconds:00}s" : $"{t.TotalSeconds:0.0}s".Replace(',', '.');

    /// <summary>Table cells: one line, pipes escaped.</summary>
    private static string Cell(string text) => Text(text).Replace("|", "\\|");

    private static string Text(string text) => text.ReplaceLineEndings(" ").Trim();
}
