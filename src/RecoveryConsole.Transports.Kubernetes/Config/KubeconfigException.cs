namespace RecoveryConsole.Transports.Kubernetes.Config;

/// <summary>
/// A kubeconfig that cannot be used, with one sentence saying what is wrong and where. Never carries a token,
/// a key or certificate data: the message is safe to show, log and store in the audit.
/// </summary>
public sealed class KubeconfigException(string message, Exception? inner = null) : Exception(message, inner);
