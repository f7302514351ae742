namespace RecoveryConsole.Transports.Kubernetes.Exec;

/// <summary>A file in a pod's container: where <c>oc cp</c> reads or writes.</summary>
public sealed record PodFile(string Namespace, string Pod, string Path)
{
    public string? Container { get; init; }

    public override string ToString() => $"{Namespace}/{Pod}{(Container is null ? "" : $" [{Container}]")}:{Path}";
}

/// <summary>A copy that arrived whole: its size and SHA-256, equal on both ends.</summary>
public sealed record PodCopyResult(long Bytes, string Sha256);

/// <summary>A copy that failed or could not be verified; the destination is left untouched (a local file) or named as suspect (in the pod).</summary>
public sealed class PodCopyException(string message, Exception? inner = null) : Exception(message, inner);
