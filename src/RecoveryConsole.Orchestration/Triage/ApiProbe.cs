using System.Text.Json;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Triage;

/// <summary>What the console saw of a cluster's Kubernetes API.</summary>
public sealed record ApiFindings(bool Answers, bool ServesData, bool CertificateExpired, string Detail);

/// <summary>
/// <c>GET /version</c> (does the API server answer?) and a read, <c>GET /api/v1/namespaces/default</c> (can it read
/// from etcd?), each with a short timeout. The difference matters: 5.3.2.1 says that when the API still serves data,
/// etcd is available and a restore is the wrong tool.
/// </summary>
public static class ApiProbe
{
    public const string VersionPath = "/version";
    public const string ReadPath = "/api/v1/namespaces/default";

    public static async Task<ApiFindings> CheckAsync(IKubernetesApi api, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        var version = await GetAsync(api, VersionPath, timeout, cancellationToken);
        if (!version.Answered)
            return new ApiFindings(false, false, version.Expired, $"GET {VersionPath}: {version.Text}");
        var read = await GetAsync(api, ReadPath, timeout, cancellationToken);
        return new ApiFindings(true, read.Success, version.Expired || read.Expired, $"GET {VersionPath}: {version.Text}; GET {ReadPath}: {read.Text}");
    }

    private sealed record Outcome(bool Answered, bool Success, bool Expired, string Text);

    private static async Task<Outcome> GetAsync(IKubernetesApi api, string path, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            var response = await api.SendAsync(new ApiRequest("GET", path), limit.Token).WaitAsync(timeout + TimeSpan.FromSeconds(1), cancellationToken); // grace for a client that ignores cancellation
            var text = response.IsSuccess ? $"{response.Status}" : $"{response.Status} {StatusMessage(response.Body)}".TrimEnd();
            return new Outcome(true, response.IsSuccess, SaysExpired(response.Body), text);
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            return new Outcome(path != VersionPath, false, false, $"no answer within {timeout.TotalSeconds:0} s");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Unreachable, refused TLS (an expired serving certificate shows here), no kubeconfig stored, ...
            var message = e is ApiUnreachableException && e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message;
            return new Outcome(false, false, SaysExpired(message), message);
        }
    }

    private static bool SaysExpired(string text) =>
        text.Contains("certificate has expired", StringComparison.OrdinalIgnoreCase) ||
        (text.Contains("x509", StringComparison.OrdinalIgnoreCase) && text.Contains("expired", StringComparison.OrdinalIgnoreCase)) ||
        text.Contains("NotTimeValid", StringComparison.Ordinal);

    private static string StatusMessage(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "";
        }
        catch (JsonException) { return body.Length > 200 ? body[..200] : body; }
    }
}
