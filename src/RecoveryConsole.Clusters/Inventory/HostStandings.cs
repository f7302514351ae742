using RecoveryConsole.Clusters.Registration;
using RecoveryConsole.Orchestration.Clusters;

namespace RecoveryConsole.Clusters.Inventory;

/// <summary>Host-key state and last contact of a cluster's hosts, for the choices of a host parameter.</summary>
public sealed class HostStandings(ConsoleClusterRegistry registry, HostKeyTrust trust, HostKeyReplacements replacements, IHostContacts contacts)
{
    public async Task<IReadOnlyList<HostStanding>> OfAsync(string cluster, IReadOnlyCollection<string> hosts, CancellationToken cancellationToken)
    {
        var last = await contacts.LastAnsweredAsync(cluster, hosts, cancellationToken);
        var pending = registry.IsSimulated(cluster) ? [] : replacements.Pending(cluster);
        var result = new List<HostStanding>(hosts.Count);
        foreach (var host in hosts)
        {
            var (state, text) = await KeyOfAsync(cluster, host, pending, cancellationToken);
            result.Add(new HostStanding(host, state, text, last.GetValueOrDefault(host)));
        }
        return result;
    }

    private async Task<(HostKeyTrustState, string)> KeyOfAsync(string cluster, string host, IReadOnlyList<HostKeyReplacementRequest> pending, CancellationToken cancellationToken)
    {
        if (registry.IsSimulated(cluster)) return (HostKeyTrustState.Simulated, "simulated host: no SSH key");
        if (registry.Definition(cluster) is null) return (HostKeyTrustState.Unknown, "host key unknown: not a registered cluster");
        try
        {
            var trusted = await trust.TrustedAsync(cluster, host, cancellationToken);
            if (pending.FirstOrDefault(p => p.Host == host) is { } request)
                return (HostKeyTrustState.ReplacementPending, $"key replacement by {request.RequestedBy} waits for an approver ({request.NewFingerprint})");
            return trusted.Count == 0
                ? (HostKeyTrustState.NotTrusted, "no trusted host key: accept one on the cluster's page, or the console will refuse to connect")
                : (HostKeyTrustState.Trusted, "key trusted: " + string.Join(", ", trusted.Select(k => $"{k.KeyType} {k.Fingerprint}")));
        }
        catch (Exception e) when (e is KeyNotFoundException or IOException or UnauthorizedAccessException)
        {
            return (HostKeyTrustState.Unknown, $"host key state unknown: {e.Message}");
        }
    }
}
