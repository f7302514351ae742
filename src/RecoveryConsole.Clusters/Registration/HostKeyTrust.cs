using RecoveryConsole.Orchestration.Approvals;
using RecoveryConsole.Orchestration.Audit;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Transports.Ssh.HostKeys;

namespace RecoveryConsole.Clusters.Registration;

/// <summary>
/// A host seen for the first time is never trusted silently: the operator is shown the fingerprints the host offers,
/// compares them with what they know, and accepts one; the acceptance is in the audit chain. A host that already has a
/// trusted key gets another one only through <see cref="HostKeyReplacements"/>: a request, approved by a second person
/// (a changed key is exactly what a man-in-the-middle looks like).
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
    /// the host is scanned again and only a key with exactly that fingerprint is trusted. Only for a host with no trusted
    /// key yet: any other key, of any type, would replace trust and needs <see cref="HostKeyReplacements.RequestAsync"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The host no longer offers that key, or it already has a different trusted key.</exception>
    public async Task<AcceptedHostKey> AcceptAsync(string cluster, string host, string fingerprint, Actor actor, CancellationToken cancellationToken)
    {
        RequireOperator(actor, "trust host keys");
        var key = await OfferedAsync(cluster, host, fingerprint, cancellationToken);
        var trusted = await TrustedAsync(cluster, host, cancellationToken);
        if (trusted.Count > 0 && trusted.All(t => t.Fingerprint != fingerprint))
            throw new InvalidOperationException(
                $"{host} already has a trusted key ({string.Join(", ", trusted.Select(t => t.Fingerprint))}); trusting {key.Label} {fingerprint} instead would replace it. " +
                "Nothing was trusted: request a replacement, which a second person with the approver role must approve.");
        return await TrustAsync(cluster, host, key, replace: false, "", actor, cancellationToken);
    }

    /// <summary>The key with exactly <paramref name="fingerprint"/> as the host offers it now.</summary>
    internal async Task<ScannedHostKey> OfferedAsync(string cluster, string host, string fingerprint, CancellationToken cancellationToken)
    {
        var offered = await ScanAsync(cluster, host, cancellationToken);
        return offered.FirstOrDefault(k => k.Fingerprint == fingerprint)
            ?? throw new InvalidOperationException(
                $"{host} does not offer a key with fingerprint {fingerprint} (it offers {string.Join(", ", offered.Select(k => $"{k.Label} {k.Fingerprint}"))}). Nothing was trusted; scan again and compare.");
    }

    /// <summary>Writes the key into the cluster's known_hosts (replacing the host's keys when asked) and audits it under <paramref name="actor"/>.</summary>
    internal async Task<AcceptedHostKey> TrustAsync(string cluster, string host, ScannedHostKey key, bool replace, string auditSuffix, Actor actor, CancellationToken cancellationToken)
    {
        var (ssh, info) = Resolve(cluster, host);
        var accepted = await ssh.AcceptHostKeyAsync(key, replace, cancellationToken);
        var detail = $"{cluster}/{host} ({info.Address} port {ssh.Profile.Port}) {key.Label} {key.Fingerprint}";
        if (accepted.AlreadyTrusted) detail += " (was already trusted)";
        if (accepted.Replaced.Count > 0) detail += $", replacing {string.Join(", ", accepted.Replaced)}";
        await audit.AppendAsync(new AuditEvent(clock.GetUtcNow(), actor.UserName, AuditKinds.HostKeyAccepted, null, detail + auditSuffix), cancellationToken);
        return accepted;
    }

    internal static void RequireOperator(Actor actor, string what)
    {
        if (!actor.IsInRole(Roles.Operator) && !actor.IsInRole(Roles.Admin))
            throw new NotAllowedException($"{actor.UserName} may not {what}: the operator or admin role is needed.");
    }

    private (Transports.Ssh.SshHostTransport Ssh, HostInfo Host) Resolve(string cluster, string host)
    {
        var definition = registry.Definition(cluster) ?? throw new KeyNotFoundException($"No registered cluster {cluster}.");
        var info = definition.Hosts.FirstOrDefault(h => h.Name == host) ?? throw new KeyNotFoundException($"Cluster {cluster} has no host {host}.");
        return (registry.SshOf(cluster)!, info);
    }
}
