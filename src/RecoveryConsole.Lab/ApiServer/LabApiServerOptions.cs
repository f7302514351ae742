namespace RecoveryConsole.Lab.ApiServer;

/// <summary>Settings of one lab HTTPS API server.</summary>
public sealed class LabApiServerOptions
{
    public const string ChannelV5 = "v5.channel.k8s.io";
    public const string ChannelV4 = "v4.channel.k8s.io";

    /// <summary>The name the written kubeconfig gives the cluster and its context.</summary>
    public string ClusterName { get; set; } = "lab";

    /// <summary>
    /// Exec subprotocols the server agrees to, in its order of preference. Leaving out v5 behaves like a server
    /// older than Kubernetes 1.30, so a client must fall back to v4.
    /// </summary>
    public IReadOnlyList<string> ExecProtocols { get; set; } = [ChannelV5, ChannelV4];

    /// <summary>How often an idle watch with allowWatchBookmarks gets a BOOKMARK (real servers: about a minute).</summary>
    public TimeSpan WatchBookmarkInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a watch stream lasts when the client sends no timeoutSeconds; then it ends cleanly, as real ones do.</summary>
    public TimeSpan WatchTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often an open watch lets time-driven controllers (rollouts) progress while no request arrives.</summary>
    public TimeSpan WatchTick { get; set; } = TimeSpan.FromMilliseconds(200);

    internal void Validate()
    {
        if (ExecProtocols.Count == 0) throw new ArgumentException("At least one exec subprotocol is needed.", nameof(ExecProtocols));
        if (WatchBookmarkInterval <= TimeSpan.Zero || WatchTimeout <= TimeSpan.Zero || WatchTick <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(WatchTick), "Watch intervals must be positive.");
    }
}
