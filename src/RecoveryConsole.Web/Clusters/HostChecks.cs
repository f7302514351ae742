using System.Collections.Concurrent;
using RecoveryConsole.Orchestration.Clusters;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Orchestration.Triage;
using RecoveryConsole.Clusters.Inventory;

namespace RecoveryConsole.Web.Clusters;

/// <summary>
/// A page's view of which hosts answer: starts <see cref="HostReachability"/> in the background and reports each
/// answer as it arrives, so the page renders at once ("checking…") and never waits on a slow host.
/// One per page; picking another cluster cancels the checks of the previous one.
/// </summary>
public sealed class HostChecks : IDisposable
{
    private readonly ConcurrentDictionary<string, HostReach> _state = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, HostStanding> _standings = new(StringComparer.Ordinal);
    private CancellationTokenSource? _current;

    /// <summary>
    /// One host answered; raised on a background thread. Only the small component listing the hosts re-renders on
    /// it: re-rendering a whole page under an operator's click can close a dropdown they are opening.
    /// </summary>
    public event Action? Changed;

    /// <summary>Every host answered; pages whose advice depends on the answers re-render once, on this.</summary>
    public event Action? Completed;

    public HostReach? Of(string host) => _state.GetValueOrDefault(host);

    /// <summary>Host-key state and last contact, once loaded (null before).</summary>
    public HostStanding? StandingOf(string host) => _standings.GetValueOrDefault(host);

    public IReadOnlyList<HostReach> All => [.. _state.Values];

    /// <summary>Checks <paramref name="hosts"/> of <paramref name="cluster"/>; returns when every host answered (pages need not await it).</summary>
    /// <param name="standings">When given, the hosts' key state and last contact are loaded alongside the checks.</param>
    public Task StartAsync(ClusterConnection cluster, IEnumerable<HostInfo> hosts, TimeSpan? timeout = null, HostStandings? standings = null)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        Stop();
        var cancel = _current = new CancellationTokenSource();
        var list = hosts.ToList();
        foreach (var h in list) _state[h.Name] = new HostReach(h, Reachability.Checking);
        var loading = standings is null ? Task.CompletedTask : LoadStandingsAsync(standings, cluster.Info.Name, list, cancel.Token);
        return Task.Run(async () =>
        {
            try
            {
                await HostReachability.ProbeAsync(cluster.Hosts, list, reach =>
                {
                    if (cancel.IsCancellationRequested) return;
                    _state[reach.Host.Name] = reach;
                    Changed?.Invoke();
                }, timeout ?? HostReachability.DefaultTimeout, cancel.Token);
                await loading;
                if (!cancel.IsCancellationRequested) Completed?.Invoke();
            }
            catch (OperationCanceledException) { }
        });
    }

    private async Task LoadStandingsAsync(HostStandings standings, string cluster, List<HostInfo> hosts, CancellationToken cancellationToken)
    {
        await Task.Yield(); // never on the page's render path
        var loaded = await standings.OfAsync(cluster, hosts.Select(h => h.Name).ToList(), cancellationToken);
        if (cancellationToken.IsCancellationRequested) return;
        foreach (var s in loaded) _standings[s.Host] = s;
        Changed?.Invoke();
    }

    public void Stop()
    {
        _current?.Cancel();
        _current?.Dispose();
        _current = null;
        _state.Clear();
        _standings.Clear();
    }

    public void Dispose() => Stop();
}
