using Microsoft.Extensions.Logging;

namespace RecoveryConsole.Transports.Kubernetes;

/// <summary>How often and how long to retry answers that say "try later" (429, 5xx); only idempotent requests are retried.</summary>
public sealed record RetryOptions
{
    /// <summary>Attempts in all, the first included. 1 turns retries off.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>The first wait when the server gives no Retry-After; doubled for each further attempt.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>No wait is longer than this, whatever Retry-After asks: a step must not hang on a server's say-so.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(5);
}

public sealed class KubernetesClientOptions
{
    public const string ChannelV5 = "v5.channel.k8s.io";
    public const string ChannelV4 = "v4.channel.k8s.io";

    /// <summary>A request that has no complete answer by then fails as unreachable (watches and exec are not bound by it).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public RetryOptions Retry { get; init; } = new();

    /// <summary>The clock of retry waits and certificate-expiry warnings (tests substitute it; request timeouts use real time).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Page size of <see cref="KubernetesClient.ListAllAsync"/>.</summary>
    public int ListPageSize { get; init; } = 500;

    /// <summary>How many times in a row a watch may fall behind the server's history (410) and list again before it gives up.</summary>
    public int WatchMaxRelists { get; init; } = 3;

    /// <summary>timeoutSeconds of each watch request; the watch then reconnects from where it was, unseen by the caller.</summary>
    public TimeSpan WatchRequestTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Exec subprotocols offered, preferred first: v5 can close stdin, v4 (servers before 1.30) cannot.</summary>
    public IReadOnlyList<string> ExecProtocols { get; init; } = [ChannelV5, ChannelV4];

    public string UserAgent { get; init; } = "RecoveryConsole";

    /// <summary>Retries and reconnects are logged here (never bodies, tokens or keys).</summary>
    public ILogger? Logger { get; init; }
}
