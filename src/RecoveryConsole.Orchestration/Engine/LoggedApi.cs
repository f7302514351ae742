using System.Text.Json;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Engine;

internal enum ApiLogging { StatusOnly, Requests, Bodies }

/// <summary>
/// Wraps a cluster's API so that every request a step or action sends is in the transcript ("→ PATCH /apis/..."),
/// with its answer's status and, for plain API steps, the body. In a multi-cluster run each line names the cluster the
/// request went to (<c>[lab-mgmt-b] → POST ...</c>), so the transcript says which cluster every change reached. An unreachable API server is logged and rethrown: a
/// wait or an action may expect it (the API comes back after a restore); an API step turns it into a failure.
/// </summary>
internal sealed class LoggedApi(IKubernetesApi inner, StepOutput output, ApiLogging logging, string? cluster = null) : IKubernetesApi
{
    private const int MaxLoggedBody = 256 * 1024;
    private readonly string _prefix = cluster is null ? "" : $"[{cluster}] ";

    public async Task<ApiResponse> SendAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        output.System($"{_prefix}→ {request.Method} {request.Path}");
        if (logging != ApiLogging.StatusOnly && request.Body is { } body)
        {
            // A Secret sent back (applyObjects re-creating a saved one) must not land in the transcript.
            if (request.Path.Contains("/secrets", StringComparison.Ordinal)) output.System("(the body of a Secret is not shown)");
            else WriteBody(OutputStream.System, body);
        }
        ApiResponse response;
        try { response = await inner.SendAsync(request, cancellationToken); }
        catch (ApiUnreachableException e)
        {
            output.System($"{_prefix}← no answer: {e.Message}");
            throw;
        }
        output.System($"{_prefix}← {response.Status}");
        if (logging == ApiLogging.Bodies || !response.IsSuccess) WriteBody(response.IsSuccess ? OutputStream.Stdout : OutputStream.Stderr, response.Body);
        return response;
    }

    public async Task<int> PodExecAsync(PodCommand command, IOutputSink sink, CancellationToken cancellationToken)
    {
        output.System($"{_prefix}→ exec {command}");
        var exit = await Logged(() => inner.PodExecAsync(command, sink, cancellationToken));
        output.System($"{_prefix}← exit code {exit}");
        return exit;
    }

    public async Task<PodCopied> PodCopyFromAsync(PodPath source, string localPath, IOutputSink log, CancellationToken cancellationToken)
    {
        output.System($"{_prefix}→ copy {source} to the console");
        var copied = await Logged(() => inner.PodCopyFromAsync(source, localPath, log, cancellationToken));
        output.System($"{_prefix}← {copied.Bytes} bytes, sha256 {copied.Sha256} (equal in the pod)");
        return copied;
    }

    public async Task<PodCopied> PodCopyToAsync(string localPath, PodPath destination, IOutputSink log, CancellationToken cancellationToken)
    {
        output.System($"{_prefix}→ copy to {destination}");
        var copied = await Logged(() => inner.PodCopyToAsync(localPath, destination, log, cancellationToken));
        output.System($"{_prefix}← {copied.Bytes} bytes, sha256 {copied.Sha256} (equal in the pod)");
        return copied;
    }

    private async Task<T> Logged<T>(Func<Task<T>> operation)
    {
        try { return await operation(); }
        catch (Exception e) when (e is ApiUnreachableException or PodOperationException)
        {
            output.System($"← failed: {e.Message}");
            throw;
        }
    }

    private void WriteBody(OutputStream stream, string body)
    {
        var text = body.Length > MaxLoggedBody ? body[..MaxLoggedBody] + " …(truncated)" : Pretty(body);
        foreach (var line in text.Split('\n')) output.Line(stream, line.TrimEnd('\r'));
    }

    private static string Pretty(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return JsonSerializer.Serialize(doc.RootElement, Indented);
        }
        catch (JsonException) { return body; }
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
}
