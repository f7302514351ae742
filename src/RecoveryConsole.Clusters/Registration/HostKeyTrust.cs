using RecoveryConsole.Orchestration.Approvals;
using RecoveryConsole.Orchestration.Audit;
using RecoveryConsole.Transports.Ssh.HostKeys;

namespace RecoveryConsole.Clusters.Registration;

/// <summary>
/// A host seen for the first time is never trusted silently: the operator is shown the fingerprints the host offers,
/// compares them with what they know, and accepts one; the acceptance is in the audit chain.
/// </summary>
public sealed class HostKeyTrust(ConsoleClusterRegistry registry, IAuditLog audit, TimeProvider clock)
{
    public async Task<IReadOnlyList<ScannedHostKey>> ScanAsync(string cluster, string host, CancellationToken cancellationToken)
    {
        var (ssh, address) = Resolve(cluster, host);
        return await ssh.KnownHosts.ScanAsync(address, ssh.Profile.Port, TimeSpan.FromSeconds(15), cancellationToken);
    }

    /// <summary>Accepts the key with <paramref name="fingerprint"/> as scanned now (never a key the caller supplies).</summary>
    public async Task AcceptAsync(string cluster, string host, string fingerprint, bool replaceExisting, Actor actor, CancellationToken cancellationToken)
    {
        if (!actor.IsInRole(Roles.Operator) && !actor.IsInRole(Roles.Admin))
            throw new NotAllowedException($"{actor.UserName} may not trust host keys: the operator or admin role is needed.");
        var (ssh, address) = Resolve(cluster, host);
        var offered = await ssh.KnownHosts.ScanAsync(address, ssh.Profile.Port, TimeSpan.FromSeconds(15), cancellationToken);
        var key = offered.FirstOrDefault(k => k.Fingerprint == fingerprint)
            ?? throw new InvalidOperationException($"{host} no longer offers a key with fingerprint {fingerprint}; scan again and compare.");
        await ssh.KnownHosts.AcceptAsync(key, replaceExisting, cancellationToken);
        await audit.AppendAsync(new AuditEvent(clock.GetUtcNow(), actor.UserName, AuditKinds.HostKeyAccepted, null,
            $"{cluster}/{host} ({address}:{ssh.Profile.Port}) {key.KeyType} {key.Fingerprint}{(replaceExisting ? " replacing the previous key" : "")}"), cancellationToken);
    }

    private (Transports.Ssh.SshHostTransport Ssh, string Address) Resolve(string cluster, string host)
    {
        var definition = registry.Definition(cluster) ?? throw new KeyNotFoundException($"No registered cluster {cluster}.");
        var info = definition.Hosts.FirstOrDefault(h => h.Name == host) ?? throw new KeyNotFoundException($"Cluster {cluster} has no host {host}.");
        return (registry.SshOf(cluster)!, info.Address);
    }
}
