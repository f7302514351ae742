using RecoveryConsole.Orchestration.Approvals;
using RecoveryConsole.Orchestration.Audit;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Transports.Ssh.HostKeys;

namespace RecoveryConsole.Clusters.Registration;

/// <summary>
/// A host seen for the first time is never trusted silently: the operator is shown the fingerprints the host offers,
/// compares them with what they know, and accepts one; the acceptance is in the audit chain. A host whose key changed
/// is trusted again only when the operator explicitly replaces the old key (it may be an attack).
/// </summary>
public sealed class HostKeyTrust(ConsoleClusterRegistry registry, IAuditLog audit, TimeProvider clock)
{
    /// <summary>The keys the host offers now (through the jump host when there is one), with their fingerprints.</summary>
    /// <exception cref="HostKeyScanException">The host gave no key (unreachable, not an SSH server).</exception>
    public async Task<IReadOnlyList<ScannedHostKey>> ScanAsync(string cluster, string host, CancellationToken cancellationToken)
    {
        var (ssh, info) = Resolve(cluster, host);
        return await ssh.ScanHostKeysAsync(info, cancellationToken);
    }

    /// <summary>The keys the cluster's known_hosts file trusts for the host now.</summary>
    public async Task<IReadOnlyList<KnownHostKey>> TrustedAsync(string cluster, string host, CancellationToken cancellationToken)
    {
        var (ssh, info) = Resolve(cluster, host);
        return await ssh.KnownHosts.FindAsync(info.Address.Trim('[', ']'), ssh.Profile.Port, cancellationToken);
    }

    /// <summary>
    /// Accepts the key with <paramref name="fingerprint"/> as the host offers it now (never a key the caller supplies):
    /// the host is scanned again and only a key with exactly that fingerprint is trusted.
    /// </summary>
    /// <exception cref="InvalidOperationException">The host no longer offers that key, or it has a different trusted key and <paramref name="replaceExisting"/> is false.</exception>
    public async Task<AcceptedHostKey> AcceptAsync(string cluster, string host, string fingerprint, bool replaceExisting, Actor actor, CancellationToken cancellationToken)
    {
        if (!actor.IsInRole(Roles.Operator) && !actor.IsInRole(Roles.Admin))
            throw new NotAllowedException($"{actor.UserName} may not trust host keys: the operator or admin role is needed.");
        var (ssh, info) = Resolve(cluster, host);
        var offered = await ssh.ScanHostKeysAsync(info, cancellationToken);
        var key = offered.FirstOrDefault(k => k.Fingerprint == fingerprint)
            ?? throw new InvalidOperationException(
                $"{host} does not offer a key with fingerprint {fingerprint} (it offers {string.Join(", ", offered.Select(k => $"{k.Label} {k.Fingerprint}"))}). Nothing was trusted; scan again and compare.");
        var accepted = await ssh.AcceptHostKeyAsync(key, replaceExisting, cancellationToken);
        var detail = $"{cluster}/{host} ({info.Address} port {ssh.Profile.Port}) {key.Label} {key.Fingerprint}";
        if (accepted.AlreadyTrusted) detail += " (was already trusted)";
        if (accepted.Replaced.Count > 0) detail += $", replacing {string.Join(", ", accepted.Replaced)}";
        await audit.AppendAsync(new AuditEvent(clock.GetUtcNow(), actor.UserName, AuditKinds.HostKeyAccepted, null, detail), cancellationToken);
        return accepted;
    }

    private (Transports.Ssh.SshHostTransport Ssh, HostInfo Host) Resolve(string cluster, string host)
    {
        var definition = registry.Definition(cluster) ?? throw new KeyNotFoundException($"No registered cluster {cluster}.");
        var info = definition.Hosts.FirstOrDefault(h => h.Name == host) ?? throw new KeyNotFoundException($"Cluster {cluster} has no host {host}.");
        return (registry.SshOf(cluster)!, info);
    }
}
