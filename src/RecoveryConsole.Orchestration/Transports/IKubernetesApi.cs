namespace RecoveryConsole.Orchestration.Transports;

public sealed record ApiRequest(string Method, string Path, string? Body = null, string? ContentType = null);

public sealed record ApiResponse(int Status, string Body)
{
    public bool IsSuccess => Status is >= 200 and < 300;
}

/// <summary>A Kubernetes API server of a cluster (a real one over HTTPS, or the lab's).</summary>
public interface IKubernetesApi
{
    /// <summary>Sends one request. Transport failures (server down) throw <see cref="ApiUnreachableException"/>; HTTP errors are answers.</summary>
    Task<ApiResponse> SendAsync(ApiRequest request, CancellationToken cancellationToken);

    /// <summary>Runs a command in a pod, streaming stdout and stderr as lines to <paramref name="output"/>; returns its exit code.</summary>
    /// <exception cref="PodOperationException">No exit code: the command could not run or the connection broke.</exception>
    Task<int> PodExecAsync(PodCommand command, IOutputSink output, CancellationToken cancellationToken) =>
        throw new PodOperationException($"The API of this cluster cannot run commands in pods; {command} did not run.");

    /// <summary>Copies a pod's file to <paramref name="localPath"/> (created only when its SHA-256 equals sha256sum's in the pod).</summary>
    Task<PodCopied> PodCopyFromAsync(PodPath source, string localPath, IOutputSink log, CancellationToken cancellationToken) =>
        throw new PodOperationException($"The API of this cluster cannot copy files out of pods; {source} was not copied.");

    /// <summary>Copies <paramref name="localPath"/> into a pod, then checks sha256sum in the pod against the local file.</summary>
    Task<PodCopied> PodCopyToAsync(string localPath, PodPath destination, IOutputSink log, CancellationToken cancellationToken) =>
        throw new PodOperationException($"The API of this cluster cannot copy files into pods; {destination} was not written.");
}

public sealed class ApiUnreachableException(string server, string reason, Exception? inner = null)
    : Exception($"Kubernetes API {server} could not be reached: {reason}", inner)
{
    public string Server { get; } = server;
}
