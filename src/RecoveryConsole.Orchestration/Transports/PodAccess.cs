namespace RecoveryConsole.Orchestration.Transports;

/// <summary>A command to run in a pod's container (<c>oc exec</c>); no shell unless the command is one.</summary>
public sealed record PodCommand(string Namespace, string Pod, IReadOnlyList<string> Command, string? Container = null)
{
    public override string ToString() => $"{Namespace}/{Pod}{(Container is null ? "" : $" [{Container}]")}: {string.Join(' ', Command)}";
}

/// <summary>A file in a pod's container (where <c>oc cp</c> reads or writes); the path is absolute.</summary>
public sealed record PodPath(string Namespace, string Pod, string Path, string? Container = null)
{
    public override string ToString() => $"{Namespace}/{Pod}{(Container is null ? "" : $" [{Container}]")}:{Path}";
}

/// <summary>A copy that arrived whole: its size and SHA-256, equal in the pod and in the console.</summary>
public sealed record PodCopied(long Bytes, string Sha256);

/// <summary>
/// An exec or copy that did not do what was asked: the pod or container is not there, the command could not start,
/// the connection broke, or the checksums differ. The message is for the operator.
/// </summary>
public sealed class PodOperationException(string message, Exception? inner = null) : Exception(message, inner);
