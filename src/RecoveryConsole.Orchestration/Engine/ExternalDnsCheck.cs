using System.Text.Json.Nodes;

namespace RecoveryConsole.Orchestration.Engine;

/// <summary>
/// Is the HyperShift operator of a management cluster installed with external-dns (document 8.6: both management
/// clusters need <c>--external-dns-provider</c>, <c>--external-dns-credentials</c> and <c>--external-dns-domain-filter</c>)?
/// Without it the hosted cluster's API URL does not survive a move to another management cluster, so a migration is refused.
/// </summary>
internal static class ExternalDnsCheck
{
    public const string OperatorPath = "/apis/apps/v1/namespaces/hypershift/deployments/operator";
    private static readonly string[] Required = ["--external-dns-provider", "--external-dns-domain-filter"];

    /// <summary>Null when the operator runs with external-dns; else why not, in words.</summary>
    public static string? Problem(string cluster, int status, string body)
    {
        if (status == 404)
            return $"{cluster} has no HyperShift operator (no Deployment hypershift/operator), so it cannot take part in a hosted cluster's migration.";
        if (status is < 200 or >= 300)
            return $"the HyperShift operator's Deployment on {cluster} could not be read (HTTP {status}).";
        JsonNode? deployment;
        try { deployment = JsonNode.Parse(body); }
        catch (System.Text.Json.JsonException) { return $"the HyperShift operator's Deployment on {cluster} is not valid JSON."; }
        var args = (deployment?["spec"]?["template"]?["spec"]?["containers"] as JsonArray ?? [])
            .SelectMany(c => (c?["args"] as JsonArray ?? []).Concat(c?["command"] as JsonArray ?? []))
            .Select(a => a?.GetValue<string>() ?? "").ToList();
        var missing = Required.Where(flag => !args.Any(a => a == flag || a.StartsWith(flag + "=", StringComparison.Ordinal))).ToList();
        return missing.Count == 0 ? null
            : $"the HyperShift operator on {cluster} runs without {string.Join(" and ", missing)}: without external-dns the hosted cluster's API URL " +
              "would change with the move, and the document forbids migrating it (both management clusters need --external-dns-provider, " +
              "--external-dns-credentials and --external-dns-domain-filter). Reinstall the operator with them first.";
    }
}
