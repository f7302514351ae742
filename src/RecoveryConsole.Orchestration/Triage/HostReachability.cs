using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Triage;

public enum Reachability { Checking, Reachable, Unreachable }

/// <summary>One host's answer to a quick "can we log in?" check.</summary>
public sealed record HostReach(HostInfo Host, Reachability State, string Reason = "")
{
    public string Text => State switch
    {
        Reachability.Checking => "checking…",
        Reachability.Reachable => "reachable",
        _ => $"unreachable: {Reason}",
    };
}

/// <summary>
/// Runs <c>true</c> on every host at once through the cluster's own transport (OpenSSH, or the lab's), with a short
/// timeout: during an incident the operator must see within seconds which hosts answer, never wait on the slowest.
/// </summary>
public static class HostReachability
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(1);

    /// <summary>Checks every host in parallel; <paramref name="report"/> is called once per host as its answer arrives.</summary>
    public static Task ProbeAsync(IHostTransport transport, IEnumerable<HostInfo> hosts, Action<HostReach> report, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(report);
        return Task.WhenAll(hosts.Select(async host => report(await ProbeOneAsync(transport, host, timeout, cancellationToken))));
    }

    public static async Task<HostReach> ProbeOneAsync(IHostTransport transport, HostInfo host, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            // A transport that ignores cancellation must not hold the check for long either (a second's grace).
            await transport.RunAsync(host, "true", DiscardSink.Instance, limit.Token).WaitAsync(timeout + Grace, cancellationToken);
            return new HostReach(host, Reachability.Reachable); // logged in: a non-zero exit of `true` is not a reachability problem
        }
        catch (HostUnreachableException e) { return new HostReach(host, Reachability.Unreachable, e.Reason); }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            return new HostReach(host, Reachability.Unreachable, $"no answer within {timeout.TotalSeconds:0} s");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new HostReach(host, Reachability.Unreachable, e.Message);
        }
    }

    private sealed class DiscardSink : IOutputSink
    {
        public static readonly DiscardSink Instance = new();
        public void Line(OutputStream stream, string text) { }
    }
}
