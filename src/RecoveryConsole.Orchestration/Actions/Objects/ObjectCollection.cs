using RecoveryConsole.Orchestration.Engine;

namespace RecoveryConsole.Orchestration.Actions.Objects;

/// <summary>Where objects of one resource live in the REST API: <c>/api/v1/namespaces/NS/secrets</c>, <c>/apis/GROUP/VERSION/...</c>.</summary>
internal sealed record ObjectCollection(string ApiVersion, string Resource, string? Namespace)
{
    /// <summary>The labels a saved manifest carries, so that applyObjects can find it and know where to create it.</summary>
    public const string ManifestKind = "object-manifest";

    public static ObjectCollection FromArguments(ActionContext context) => new(
        context.RequiredArgument("apiVersion"),
        context.RequiredArgument("resource"),
        context.Argument("namespace", "") is { Length: > 0 } ns ? ns : null);

    public string Path
    {
        get
        {
            if (Resource.Contains('/', StringComparison.Ordinal) || ApiVersion.Split('/').Length > 2)
                throw new StepFailedException($"'{ApiVersion}' '{Resource}' is not an apiVersion and a resource name (such as v1 secrets, or hypershift.openshift.io/v1beta1 hostedclusters).");
            var root = ApiVersion.Contains('/', StringComparison.Ordinal) ? $"/apis/{ApiVersion}" : $"/api/{ApiVersion}";
            return Namespace is null ? $"{root}/{Resource}" : $"{root}/namespaces/{Uri.EscapeDataString(Namespace)}/{Resource}";
        }
    }

    public string ManifestName(string name) => Namespace is null ? $"{Resource}-{name}.json" : $"{Resource}-{Namespace}-{name}.json";
}
