using RecoveryConsole.Procedures.Model;

namespace RecoveryConsole.Transports.Ssh.Failures;

/// <summary>A command ran longer than the cluster's command timeout and was stopped on the host.</summary>
public sealed class RemoteCommandTimeoutException(string host, TimeSpan timeout, string stopReport)
    : TimeoutException($"{host}: the command did not finish within {Durations.Format(timeout)} (the cluster's SSH command timeout) and was stopped: {stopReport}")
{
    public string Host { get; } = host;
    public TimeSpan Timeout { get; } = timeout;

    /// <summary>What was done to stop it on the host (signals sent, whether it ended).</summary>
    public string StopReport { get; } = stopReport;
}
