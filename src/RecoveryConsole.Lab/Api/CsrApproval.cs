using System.Text;
using System.Text.Json.Nodes;

namespace RecoveryConsole.Lab.Api;

/// <summary>
/// The <c>/approval</c> subresource of CertificateSigningRequests: only status.conditions is taken from the
/// request (as the real approval strategy does), and an approved request is signed at once, as the
/// kube-controller-manager's signer would, so <c>oc get csr</c> shows Approved,Issued.
/// </summary>
internal static class CsrApproval
{
    private static readonly string FakeCertificate = Convert.ToBase64String(Encoding.ASCII.GetBytes(
        "-----BEGIN CERTIFICATE-----\nTUlJTEFCLXNpbXVsYXRlZC1jZXJ0aWZpY2F0ZS1ub3QtcmVhbA==\n-----END CERTIFICATE-----\n"));

    public static JsonObject Apply(ResourcePath path, JsonObject current, JsonObject proposed, DateTimeOffset now)
    {
        var status = current["status"] as JsonObject ?? [];
        current["status"] = status;
        var requested = (proposed["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>()
            .Where(c => (string?)c["type"] is "Approved" or "Denied")
            .ToList() ?? [];
        if (requested.Select(c => (string?)c["type"]).Distinct().Count() > 1)
            throw KubeStatus.Invalid(path, "status.conditions: Invalid value: \"Approved\": Approved and Denied conditions are mutually exclusive");

        if (requested.Count == 0)
        {
            // A bare PUT to /approval (no conditions sent) approves: the lab's shortcut for "oc adm certificate approve".
            requested.Add(new JsonObject
            {
                ["type"] = "Approved",
                ["status"] = "True",
                ["reason"] = "LabApprove",
                ["message"] = "This CSR was approved through the lab API server.",
            });
        }

        var conditions = new JsonArray();
        foreach (var condition in requested)
        {
            var copy = (JsonObject)condition.DeepClone();
            copy["lastUpdateTime"] ??= Conditions.Timestamp(now);
            copy["lastTransitionTime"] ??= Conditions.Timestamp(now);
            conditions.Add(copy);
        }
        status["conditions"] = conditions;
        if (requested.Any(c => (string?)c["type"] == "Approved" && (string?)c["status"] == "True"))
            status["certificate"] ??= FakeCertificate;
        return current;
    }
}
