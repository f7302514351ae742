using System.Text;
using System.Text.Json.Nodes;

namespace RecoveryConsole.Transports.Kubernetes;

/// <summary>Content types of the patch verbs.</summary>
public static class PatchContentTypes
{
    public const string Merge = "application/merge-patch+json";
    public const string Json = "application/json-patch+json";
    public const string StrategicMerge = "application/strategic-merge-patch+json";
}

/// <summary>Query options of a list (and of a watch's selectors).</summary>
public sealed record ListOptions
{
    /// <summary>"app=etcd", "node-role.kubernetes.io/master", "app in (etcd,kube-apiserver)".</summary>
    public string? LabelSelector { get; init; }

    /// <summary>"metadata.name=etcd-0", "spec.nodeName=master-0", "status.phase!=Running".</summary>
    public string? FieldSelector { get; init; }

    /// <summary>Page size; the server returns a continue token when more remain.</summary>
    public int? Limit { get; init; }

    public string? Continue { get; init; }

    internal string Query()
    {
        var query = new QueryBuilder();
        query.Add("labelSelector", LabelSelector);
        query.Add("fieldSelector", FieldSelector);
        if (Limit is { } limit) query.Add("limit", limit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        query.Add("continue", Continue);
        return query.ToString();
    }
}

/// <summary>One page of a list: items, the list's resourceVersion (a watch may start there), and the continue token.</summary>
public sealed record KubeList(IReadOnlyList<JsonObject> Items, string? ResourceVersion, string? Continue, long? RemainingItemCount);

public enum PropagationPolicy { Background, Foreground, Orphan }

/// <summary>DeleteOptions: how dependents go, and preconditions that make the delete hit exactly the object that was read.</summary>
public sealed record DeleteOptions
{
    public PropagationPolicy? Propagation { get; init; }

    /// <summary>Delete only if the object still has this resourceVersion (409 otherwise).</summary>
    public string? ResourceVersion { get; init; }

    /// <summary>Delete only if the object is still this one, not a namesake created since (409 otherwise).</summary>
    public string? Uid { get; init; }

    public long? GracePeriodSeconds { get; init; }

    internal string? Body()
    {
        if (Propagation is null && ResourceVersion is null && Uid is null && GracePeriodSeconds is null) return null;
        var body = new JsonObject { ["kind"] = "DeleteOptions", ["apiVersion"] = "v1" };
        if (Propagation is { } policy) body["propagationPolicy"] = policy.ToString();
        if (GracePeriodSeconds is { } grace) body["gracePeriodSeconds"] = grace;
        if (ResourceVersion is not null || Uid is not null)
        {
            var preconditions = new JsonObject();
            if (ResourceVersion is not null) preconditions["resourceVersion"] = ResourceVersion;
            if (Uid is not null) preconditions["uid"] = Uid;
            body["preconditions"] = preconditions;
        }
        return body.ToJsonString();
    }
}

/// <summary>An autoscaling/v1 Scale: the replicas asked for (spec) and running (status) of a Deployment or StatefulSet.</summary>
public sealed record Scale(string Name, string? Namespace, int Replicas, int StatusReplicas, string? Selector, string? ResourceVersion)
{
    internal static Scale From(JsonObject scale) => new(
        (string?)scale["metadata"]?["name"] ?? "",
        (string?)scale["metadata"]?["namespace"],
        (int?)scale["spec"]?["replicas"] ?? 0,
        (int?)scale["status"]?["replicas"] ?? 0,
        (string?)scale["status"]?["selector"],
        (string?)scale["metadata"]?["resourceVersion"]);
}

/// <summary>Builds a query string with every value escaped; empty values are left out.</summary>
internal sealed class QueryBuilder
{
    private readonly StringBuilder _text = new();

    public QueryBuilder Add(string name, string? value)
    {
        if (string.IsNullOrEmpty(value)) return this;
        _text.Append(_text.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
        return this;
    }

    /// <summary>Appends the query to a path that may already have one.</summary>
    public static string Append(string path, string query) =>
        query.Length == 0 ? path : path.Contains('?', StringComparison.Ordinal) ? path + "&" + query[1..] : path + query;

    public override string ToString() => _text.ToString();
}
