namespace RecoveryConsole.Transports.Ssh.Failures;

/// <summary>
/// The command started on the host but its end was never seen: the connection dropped, or the remote shell itself was
/// killed. Unlike <see cref="SshConnectionException"/>, something did run: check the host before retrying.
/// </summary>
public sealed class RemoteCommandLostException(string host, string detail)
    : Exception($"{host}: the command started but its end was not seen ({detail}); it may have run partly or still be running. Check the host before retrying.")
{
    public string Host { get; } = host;
    public string Detail { get; } = detail;
}
