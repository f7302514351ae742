using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Transports.Ssh.Failures;

/// <summary>The ways opening an SSH session can fail. In every one of them nothing ran on the host.</summary>
public enum SshFailureKind
{
    /// <summary>Connection refused, no route, name does not resolve, closed before the handshake.</summary>
    Unreachable,
    /// <summary>No answer within the connect timeout.</summary>
    ConnectTimeout,
    /// <summary>The host answered but refused the console's key.</summary>
    LoginRefused,
    /// <summary>The host's key is not in the console's known_hosts: not trusted until an operator accepts its fingerprint.</summary>
    HostKeyUnknown,
    /// <summary>The host offered a different key than the trusted one.</summary>
    HostKeyChanged,
    /// <summary>The login succeeded but the account's shell did not run the command (nologin, ForceCommand).</summary>
    ShellRefused,
    /// <summary>The local ssh client could not do its part (unusable key file, bad option).</summary>
    ClientError,
}

/// <summary>
/// Why no SSH session could be opened on a host; nothing ran there. The transport throws it as the
/// <see cref="Exception.InnerException"/> of <see cref="HostUnreachableException"/>, the engine's contract for
/// "nothing was run" (that type is sealed, so the specific kinds cannot derive from it). <see cref="Of"/> finds it.
/// </summary>
public class SshConnectionException(string host, SshFailureKind kind, string reason, IReadOnlyList<string> diagnostics)
    : Exception($"{host}: {reason}")
{
    public string Host { get; } = host;
    public SshFailureKind Kind { get; } = kind;

    /// <summary>One sentence for the operator, without a final period (the engine appends its own sentence).</summary>
    public string Reason { get; } = reason;

    /// <summary>What ssh itself printed (its own diagnostics, never remote output or key material).</summary>
    public IReadOnlyList<string> Diagnostics { get; } = diagnostics;

    /// <summary>The SSH failure behind an exception thrown by the transport, if that is what it was.</summary>
    public static SshConnectionException? Of(Exception? e) =>
        e as SshConnectionException ?? e?.InnerException as SshConnectionException;

    internal HostUnreachableException AsUnreachable() => new(Host, Reason, this);

    /// <summary>Which endpoint failed: the host itself, or the jump host in front of it (whose key a scan must then read).</summary>
    internal Connection.HostEndpoint? Endpoint { get; set; }
}
