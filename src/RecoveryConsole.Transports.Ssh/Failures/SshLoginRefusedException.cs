namespace RecoveryConsole.Transports.Ssh.Failures;

/// <summary>The host answered and its key was trusted, but it refused the login (ssh: "Permission denied").</summary>
public sealed class SshLoginRefusedException(string host, string user, string methods, string reason, IReadOnlyList<string> diagnostics)
    : SshConnectionException(host, SshFailureKind.LoginRefused, reason, diagnostics)
{
    public string User { get; } = user;

    /// <summary>The authentication methods the server offered, as ssh reports them (e.g. "publickey").</summary>
    public string Methods { get; } = methods;
}
