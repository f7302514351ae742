using System.Text.Json;
using System.Text.Json.Nodes;

namespace RecoveryConsole.Transports.Kubernetes;

/// <summary>One entry of a Status object's details.causes (which field is invalid and why).</summary>
public sealed record StatusCause(string? Reason, string? Message, string? Field);

/// <summary>
/// The API server answered with an error. Carries what the server said (code, reason, message, causes) and what
/// was asked (method, path), and reads as one sentence with a hint of what to do. Subclasses let callers handle the
/// cases that matter separately: 401, 403, 404, 409, 410, 415, 422, and 429/5xx after bounded retries.
/// </summary>
public class KubernetesApiException : Exception
{
    internal KubernetesApiException(ApiFailure failure, string? hint = null)
        : base(Compose(failure, hint))
    {
        StatusCode = failure.StatusCode;
        Reason = failure.Reason;
        ServerMessage = failure.Message;
        Method = failure.Method;
        Path = failure.Path;
        Attempts = failure.Attempts;
        Causes = failure.Causes;
    }

    public int StatusCode { get; }

    /// <summary>The Status reason (NotFound, Conflict, AlreadyExists, Invalid, Expired ...), or the HTTP reason phrase.</summary>
    public string Reason { get; }

    /// <summary>The server's own message, verbatim.</summary>
    public string ServerMessage { get; }

    public string Method { get; }
    public string Path { get; }

    /// <summary>How many times the request was sent (more than one only after retryable answers).</summary>
    public int Attempts { get; }

    public IReadOnlyList<StatusCause> Causes { get; }

    /// <summary>The typed exception for an error answer.</summary>
    public static KubernetesApiException FromResponse(string method, string path, int status, string body, int attempts = 1, string? requestContentType = null, string? user = null)
    {
        var failure = ApiFailure.Parse(method, path, status, body, attempts);
        return status switch
        {
            401 => new KubernetesUnauthorizedException(failure, user),
            403 => new KubernetesForbiddenException(failure),
            404 => new KubernetesNotFoundException(failure),
            409 => new KubernetesConflictException(failure),
            410 => new KubernetesGoneException(failure),
            415 => new KubernetesUnsupportedMediaTypeException(failure, requestContentType),
            422 => new KubernetesInvalidException(failure),
            429 or >= 500 => new KubernetesUnavailableException(failure),
            _ => new KubernetesApiException(failure),
        };
    }

    private static string Compose(ApiFailure failure, string? hint)
    {
        var text = $"{failure.Method} {failure.Path} failed with HTTP {failure.StatusCode} {failure.Reason}: {failure.Message}";
        if (failure.Causes.Count > 0 && failure.StatusCode == 422)
            text += " (" + string.Join("; ", failure.Causes.Select(c => c.Field is null ? c.Message : $"{c.Field}: {c.Message}")) + ")";
        return hint is null ? text : $"{text}. {hint}";
    }
}

/// <summary>What an error answer said, parsed from a Status body when it is one (a proxy's HTML page is not).</summary>
internal sealed record ApiFailure(string Method, string Path, int StatusCode, string Reason, string Message, IReadOnlyList<StatusCause> Causes, int Attempts)
{
    private const int MaxForeignText = 300;

    public static ApiFailure Parse(string method, string path, int status, string body, int attempts)
    {
        var fallbackReason = Enum.IsDefined((System.Net.HttpStatusCode)status) ? ((System.Net.HttpStatusCode)status).ToString() : "Error";
        try
        {
            if (JsonNode.Parse(body) is JsonObject { } root && (string?)root["kind"] == "Status")
            {
                var causes = (root["details"]?["causes"] as JsonArray ?? [])
                    .OfType<JsonObject>()
                    .Select(c => new StatusCause((string?)c["reason"], (string?)c["message"], (string?)c["field"]))
                    .ToList();
                return new ApiFailure(method, path, status, (string?)root["reason"] is { Length: > 0 } r ? r : fallbackReason,
                    (string?)root["message"] ?? "(no message)", causes, attempts);
            }
        }
        catch (JsonException)
        {
        }
        // Not a Status: a load balancer or proxy answered. Show a little of it, on one line.
        var text = string.Join(' ', body.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (text.Length > MaxForeignText) text = text[..MaxForeignText] + "...";
        return new ApiFailure(method, path, status, fallbackReason, text.Length == 0 ? "(empty answer)" : $"the answer was not a Kubernetes Status: {text}", [], attempts);
    }
}
