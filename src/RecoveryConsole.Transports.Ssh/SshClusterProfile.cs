using System.Text.RegularExpressions;
using RecoveryConsole.Transports.Ssh.Keys;

namespace RecoveryConsole.Transports.Ssh;

/// <summary>How the console reaches one cluster's hosts over SSH.</summary>
public sealed partial record SshClusterProfile
{
    /// <summary>The login user; OpenShift's RHCOS hosts use <c>core</c>.</summary>
    public string User { get; init; } = "core";

    public int Port { get; init; } = 22;

    /// <summary>The key in <see cref="ISshKeyStore"/> to log in with; null leaves it to the operator's ssh_config and agent.</summary>
    public string? KeyId { get; init; }

    /// <summary>A bastion every connection (and host-key scan) goes through.</summary>
    public JumpHost? JumpHost { get; init; }

    /// <summary>The known_hosts file the console owns for this cluster: the only place host keys are trusted from.</summary>
    public required string KnownHostsFile { get; init; }

    public SudoMode Sudo { get; init; } = SudoMode.NoPassword;

    /// <summary>TCP connect and SSH banner timeout (ssh's ConnectTimeout).</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A command still running after this long is stopped on the host. The engine's step timeout usually comes first.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromHours(2);

    /// <summary>One master connection per host, reused by every command (ControlMaster). Off: a new connection per command.</summary>
    public bool ReuseConnections { get; init; } = true;

    // POSIX user names; a leading '-' would read as an option.
    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_.-]{0,31}\\z")]
    private static partial Regex UserName();

    public void Validate()
    {
        if (!UserName().IsMatch(User)) throw new ArgumentException($"SSH user '{User}' is not a valid user name.");
        if (Port is < 1 or > 65535) throw new ArgumentException($"SSH port {Port} is out of range.");
        if (string.IsNullOrWhiteSpace(KnownHostsFile) || !Path.IsPathFullyQualified(KnownHostsFile))
            throw new ArgumentException("KnownHostsFile must be an absolute path to a file the console owns.");
        if (ConnectTimeout < TimeSpan.FromSeconds(1)) throw new ArgumentException("ConnectTimeout must be at least one second.");
        if (CommandTimeout <= TimeSpan.Zero) throw new ArgumentException("CommandTimeout must be positive.");
        if (KeyId is not null) SshKeyId.Validate(KeyId);
    }
}
