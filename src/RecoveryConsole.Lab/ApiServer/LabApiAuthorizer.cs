using System.Text.Json;
using System.Text.Json.Nodes;
using RecoveryConsole.Lab.Api;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Lab.ApiServer;

/// <summary>
/// The lab's RBAC, reduced to two roles: cluster-admins may do everything; every other authenticated user may
/// read (get, list, watch). Answers self-subject access reviews and "who am I" reviews from the same rule.
/// </summary>
internal static class LabApiAuthorizer
{
    public const string AccessReviews = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";
    public const string SelfReviews = "/apis/authentication.k8s.io/v1/selfsubjectreviews";

    private static readonly string[] ReadVerbs = ["get", "list", "watch"];

    public static bool IsReview(string path) => path.TrimEnd('/') is AccessReviews or SelfReviews;

    public static bool Allows(LabApiIdentity who, string verb) => who.IsClusterAdmin || ReadVerbs.Contains(verb, StringComparer.Ordinal);

    /// <summary>A 403 with the wording of kube-apiserver's RBAC authorizer, or null when allowed.</summary>
    public static ApiResponse? Deny(LabApiIdentity who, string method, string path, bool watch)
    {
        var resource = ResourcePath.Parse(path);
        var verb = VerbOf(method, resource, watch);
        if (Allows(who, verb)) return null;
        if (resource is null)
            return KubeStatus.Failure(403, "Forbidden", $"forbidden: User \"{who.Name}\" cannot {verb} path \"{path}\"");

        var target = resource.Subresource is null ? resource.Resource : resource.Resource + "/" + resource.Subresource;
        var subject = resource.Name is null ? resource.QualifiedResource : $"{resource.QualifiedResource} \"{resource.Name}\"";
        var scope = resource.Namespace is null ? "at the cluster scope" : $"in the namespace \"{resource.Namespace}\"";
        return KubeStatus.Failure(403, "Forbidden",
            $"{subject} is forbidden: User \"{who.Name}\" cannot {verb} resource \"{target}\" in API group \"{resource.Group}\" {scope}",
            resource);
    }

    public static ApiResponse Review(LabApiIdentity who, string path, string? body)
    {
        JsonObject review;
        try
        {
            review = JsonNode.Parse(body ?? "") as JsonObject ?? [];
        }
        catch (JsonException e)
        {
            return KubeStatus.Failure(400, "BadRequest", $"the request body is not valid JSON: {e.Message}");
        }

        if (path.TrimEnd('/') == SelfReviews)
        {
            review["apiVersion"] = "authentication.k8s.io/v1";
            review["kind"] = "SelfSubjectReview";
            review["status"] = new JsonObject
            {
                ["userInfo"] = new JsonObject
                {
                    ["username"] = who.Name,
                    ["groups"] = new JsonArray(who.Groups.Select(g => (JsonNode?)g).ToArray()),
                },
            };
            return new ApiResponse(201, review.ToJsonString());
        }

        var verb = (string?)review["spec"]?["resourceAttributes"]?["verb"] ?? (string?)review["spec"]?["nonResourceAttributes"]?["verb"] ?? "";
        var allowed = Allows(who, verb);
        review["apiVersion"] = "authorization.k8s.io/v1";
        review["kind"] = "SelfSubjectAccessReview";
        review["status"] = allowed
            ? new JsonObject
            {
                ["allowed"] = true,
                ["reason"] = who.IsClusterAdmin
                    ? $"RBAC: allowed by ClusterRoleBinding \"cluster-admin\" of ClusterRole \"cluster-admin\" to Group \"{who.Groups.First(g => g is "system:masters" or "cluster-admins")}\""
                    : $"RBAC: allowed by ClusterRoleBinding \"lab-readers\" of ClusterRole \"view\" to User \"{who.Name}\"",
            }
            : new JsonObject { ["allowed"] = false };
        return new ApiResponse(201, review.ToJsonString());
    }

    private static string VerbOf(string method, ResourcePath? resource, bool watch) => method switch
    {
        "GET" when resource?.Subresource is "exec" or "attach" or "portforward" => "create",
        "GET" or "HEAD" => watch ? "watch" : resource is { Name: null } ? "list" : "get",
        "POST" => "create",
        "PUT" => "update",
        "PATCH" => "patch",
        "DELETE" => resource is { Name: null } ? "deletecollection" : "delete",
        _ => method.ToLowerInvariant(),
    };
}
