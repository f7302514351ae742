using RecoveryConsole.Orchestration.Clusters;

namespace RecoveryConsole.Clusters.Inventory;

public enum HostKeyTrustState { Simulated, Trusted, NotTrusted, ReplacementPending, Unknown }

/// <summary>
/// What the console knows about a host besides whether it answers right now: whether its SSH key is trusted (a host
/// with no trusted key is refused by the console's strict known_hosts, so the run would stop at preflight) and when it
/// last answered a run's command.
/// </summary>
public sealed record HostStanding(string Host, HostKeyTrustState KeyState, string KeyText, HostContact? LastAnswered)
{
    public string LastAnsweredText(DateTimeOffset now) => LastAnswered is { } c
        ? $"last answered {Ago(now - c.At)} ({c.At.UtcDateTime:yyyy-MM-dd HH:mm} UTC, {c.StepTitle})"
        : "never answered a run's command";

    private static string Ago(TimeSpan t) =>
        t < TimeSpan.FromMinutes(1) ? "just now"
        : t < TimeSpan.FromHours(1) ? $"{(int)t.TotalMinutes} min ago"
        : t < TimeSpan.FromDays(2) ? $"{(int)t.TotalHours} h ago"
        : $"{(int)t.TotalDays} days ago";
}
