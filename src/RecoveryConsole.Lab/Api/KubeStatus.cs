using System.Text.Json.Nodes;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Lab.Api;

/// <summary>An error the API server answers with a Kubernetes <c>Status</c> object, thrown to leave a handler early.</summary>
internal sealed class KubeApiException(int code, string reason, string message, ResourcePath? path = null) : Exception(message)
{
    public int Code { get; } = code;
    public string Reason { get; } = reason;
    public ResourcePath? ResourcePath { get; } = path;

    public ApiResponse ToResponse() => KubeStatus.Failure(Code, Reason, Message, ResourcePath);
}

/// <summary>Builds Status bodies and the errors with the wording real API servers use.</summary>
internal static class KubeStatus
{
    public static ApiResponse Failure(int code, string reason, string message, ResourcePath? path = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
        };
        if (path is not null)
        {
            var details = new JsonObject();
            if (path.Name is not null) details["name"] = path.Name;
            if (path.Group.Length > 0) details["group"] = path.Group;
            details["kind"] = path.Resource;
            status["details"] = details;
        }
        status["code"] = code;
        return new ApiResponse(code, status.ToJsonString());
    }

    public static KubeApiException NotFound(ResourcePath path) =>
        new(404, "NotFound", $"{path.QualifiedResource} \"{path.Name}\" not found", path);

    public static KubeApiException NoSuchPath() =>
        new(404, "NotFound", "the server could not find the requested resource");

    public static KubeApiException AlreadyExists(ResourcePath path) =>
        new(409, "AlreadyExists", $"{path.QualifiedResource} \"{path.Name}\" already exists", path);

    public static KubeApiException Conflict(ResourcePath path) =>
        new(409, "Conflict",
            $"Operation cannot be fulfilled on {path.QualifiedResource} \"{path.Name}\": the object has been modified; please apply your changes to the latest version and try again",
            path);

    public static KubeApiException BadRequest(string message) => new(400, "BadRequest", message);

    public static KubeApiException Invalid(ResourcePath path, string message) =>
        new(422, "Invalid", $"{path.QualifiedResource} \"{path.Name}\" is invalid: {message}", path);

    public static KubeApiException MethodNotAllowed() =>
        new(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");

    public static KubeApiException UnsupportedMediaType(string contentType) =>
        new(415, "UnsupportedMediaType",
            $"the body of the request was in an unknown format ({contentType}) - accepted media types include: application/json-patch+json, application/merge-patch+json");
}
