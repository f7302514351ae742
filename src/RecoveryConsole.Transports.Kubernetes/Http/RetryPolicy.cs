using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RecoveryConsole.Transports.Kubernetes.Http;

/// <summary>
/// When a request may be sent again: only answers that say "try later" (429, 500, 502, 503, 504), only for requests
/// whose repetition cannot do a second, different thing (GET, HEAD, DELETE, and PUT carrying a resourceVersion,
/// which answers 409 if the first one did land). A POST or PATCH is never repeated blindly.
/// </summary>
internal static class RetryPolicy
{
    public static bool IsRetryableStatus(int status) => status is 429 or 500 or 502 or 503 or 504;

    public static bool IsIdempotent(string method, string? body) => method.ToUpperInvariant() switch
    {
        "GET" or "HEAD" or "DELETE" => true,
        "PUT" => HasResourceVersion(body),
        _ => false,
    };

    /// <summary>The wait before attempt <paramref name="attempt"/> + 1: the server's Retry-After when it gives one, else exponential; never above the cap.</summary>
    public static TimeSpan Delay(RetryOptions options, int attempt, RetryConditionHeaderValue? retryAfter, DateTimeOffset now)
    {
        TimeSpan wait;
        if (retryAfter?.Delta is { } delta) wait = delta;
        else if (retryAfter?.Date is { } date) wait = date - now;
        else wait = options.BaseDelay * Math.Pow(2, attempt - 1);
        if (wait < TimeSpan.Zero) wait = TimeSpan.Zero;
        return wait > options.MaxDelay ? options.MaxDelay : wait;
    }

    private static bool HasResourceVersion(string? body)
    {
        if (string.IsNullOrEmpty(body)) return false;
        try
        {
            return JsonNode.Parse(body)?["metadata"]?["resourceVersion"] is JsonValue value && value.TryGetValue<string>(out var version) && version.Length > 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
