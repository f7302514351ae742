namespace RecoveryConsole.Transports.Ssh;

/// <summary>Console-wide SSH settings: where the client binaries are and how connections behave. Per-cluster values live in <see cref="SshClusterProfile"/>.</summary>
public sealed class SshSettings
{
    /// <summary>
    /// Parent of each transport's private 0700 directory (control sockets, the key file). Keep it short: a socket
    /// path is limited to 108 bytes and ssh adds a 17-character suffix while it creates a master.
    /// </summary>
    public string RuntimeDirectory { get; set; } = Path.GetTempPath();

    public string SshPath { get; set; } = "ssh";
    public string SshKeygenPath { get; set; } = "ssh-keygen";
    public string SshKeyscanPath { get; set; } = "ssh-keyscan";

    /// <summary>How long an idle master connection stays open; masters are closed explicitly on dispose anyway.</summary>
    public TimeSpan ControlPersist { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>After SIGTERM to a cancelled remote command, how long to wait before SIGKILL (and again before giving up).</summary>
    public TimeSpan KillGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Keepalives: a connection whose host stopped answering is declared dead after interval × count.</summary>
    public TimeSpan ServerAliveInterval { get; set; } = TimeSpan.FromSeconds(15);
    public int ServerAliveCountMax { get; set; } = 3;

    /// <summary>
    /// At most this many master connections of one cluster log in at the same time; the others wait their turn. sshd drops
    /// unauthenticated connections beyond its MaxStartups (default 10:30:100: 30% refused from the 11th), which 50 hosts
    /// started together through one jump host would reach; below 10 none is dropped.
    /// </summary>
    public int MaxConcurrentLogins { get; set; } = 8;

    public void Validate()
    {
        if (MaxConcurrentLogins < 1) throw new ArgumentException("SshSettings.MaxConcurrentLogins must be at least 1.");
        if (string.IsNullOrWhiteSpace(RuntimeDirectory)) throw new ArgumentException("SshSettings.RuntimeDirectory is empty.");
        if (KillGracePeriod <= TimeSpan.Zero) throw new ArgumentException("SshSettings.KillGracePeriod must be positive.");
        if (ControlPersist < TimeSpan.FromSeconds(1)) throw new ArgumentException("SshSettings.ControlPersist must be at least one second.");
        if (ServerAliveInterval < TimeSpan.FromSeconds(1) || ServerAliveCountMax < 1)
            throw new ArgumentException("SshSettings.ServerAliveInterval must be at least one second and ServerAliveCountMax at least 1.");
    }
}
