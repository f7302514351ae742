namespace RecoveryConsole.Clusters;

/// <summary>Where cluster access files live in the console's data directory (all owner-only).</summary>
public sealed record ClusterPaths(string DataDirectory)
{
    public string KnownHostsDirectory => Path.Combine(DataDirectory, "known_hosts");
    public string SshKeysDirectory => Path.Combine(DataDirectory, "ssh-keys");
    public string RuntimeDirectory => Path.Combine(DataDirectory, "run");

    /// <summary>One known_hosts file per cluster: accepting a key for one cluster never trusts it for another.</summary>
    public string KnownHostsFile(string cluster) => Path.Combine(KnownHostsDirectory, cluster);
}
