namespace RecoveryConsole.Lab.Api;

/// <summary>
/// A parsed Kubernetes REST path: <c>/api/v1[/namespaces/{ns}]/{resource}[/{name}[/{subresource}]]</c>
/// or the same under <c>/apis/{group}/{version}</c>.
/// </summary>
public sealed record ResourcePath(string Group, string Version, string? Namespace, string Resource, string? Name, string? Subresource)
{
    public string Prefix => Group.Length == 0 ? "/api/" + Version : $"/apis/{Group}/{Version}";

    public string ApiVersion => Group.Length == 0 ? Version : Group + "/" + Version;

    /// <summary>How error messages name the resource: "nodes", "certificatesigningrequests.certificates.k8s.io".</summary>
    public string QualifiedResource => Group.Length == 0 ? Resource : Resource + "." + Group;

    public string CollectionKey => Prefix + (Namespace is null ? "" : "/namespaces/" + Namespace) + "/" + Resource;

    /// <summary>The key an object is stored under: its own REST path without subresource.</summary>
    public string ObjectKey => CollectionKey + "/" + Name;

    public ResourcePath WithoutSubresource() => this with { Subresource = null };

    public static ResourcePath? Parse(string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        string group, version;
        int rest;
        if (segments.Length >= 3 && segments[0] == "api")
        {
            (group, version, rest) = ("", segments[1], 2);
        }
        else if (segments.Length >= 4 && segments[0] == "apis")
        {
            (group, version, rest) = (segments[1], segments[2], 3);
        }
        else
        {
            return null;
        }

        string? ns = null;
        var remaining = segments[rest..];
        // "namespaces/{ns}/{x}" is a namespaced collection unless x is a subresource of the namespace itself.
        if (remaining.Length >= 3 && remaining[0] == "namespaces" && !(remaining.Length == 3 && remaining[2] is "status" or "finalize"))
        {
            ns = remaining[1];
            remaining = remaining[2..];
        }
        return remaining.Length switch
        {
            1 => new ResourcePath(group, version, ns, remaining[0], null, null),
            2 => new ResourcePath(group, version, ns, remaining[0], remaining[1], null),
            3 => new ResourcePath(group, version, ns, remaining[0], remaining[1], remaining[2]),
            _ => null,
        };
    }
}
