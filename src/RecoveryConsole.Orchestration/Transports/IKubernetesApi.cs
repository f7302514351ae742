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
}

public sealed class ApiUnreachableException(string server, string reason, Exception? inner = null)
    : Exception($"Kubernetes API {server} could not be reached: {reason}", inner)
{
    public string Server { get; } = server;
}
