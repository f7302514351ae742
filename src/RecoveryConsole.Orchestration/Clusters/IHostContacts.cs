namespace RecoveryConsole.Orchestration.Clusters;

/// <summary>When a host last answered a command of a run, with the step that reached it.</summary>
public sealed record HostContact(string Host, DateTimeOffset At, Guid RunId, string StepTitle);

/// <summary>
/// The last time each host of a cluster answered the console: a step's command that came back with an exit code (any
/// code: the host was there). Read from the runs themselves, so it survives restarts and needs no bookkeeping of its own.
/// </summary>
public interface IHostContacts
{
    Task<IReadOnlyDictionary<string, HostContact>> LastAnsweredAsync(string cluster, IReadOnlyCollection<string> hosts, CancellationToken cancellationToken);
}
