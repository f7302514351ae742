namespace RecoveryConsole.Transports.Ssh;

/// <summary>
/// Whether the transport may use <c>sudo -n</c> for its own work: signalling a cancelled command that runs as root,
/// and file transfers asked to run as root. Step commands carry their own <c>sudo</c> prefix and are sent unchanged.
/// </summary>
public enum SudoMode
{
    /// <summary>The connection user has passwordless sudo (OpenShift's <c>core</c>).</summary>
    NoPassword,

    /// <summary>Never use sudo: cancellation signals and transfers run as the connection user only.</summary>
    None,
}
