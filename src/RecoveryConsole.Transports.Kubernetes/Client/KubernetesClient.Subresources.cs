using System.Globalization;
using System.Text.Json.Nodes;

namespace RecoveryConsole.Transports.Kubernetes;

/// <summary>The outcome of approving a CSR: the stored object, and whether someone had approved it already.</summary>
public sealed record CsrApproval(string Name, bool WasAlreadyApproved, JsonObject Object);

// Subresources: scale (oc scale) and CSR approval (oc adm certificate approve).
public sealed partial class KubernetesClient
{
    private const int ApprovalConflictAttempts = 3;

    public async Task<Scale> GetScaleAsync(ResourceType type, string ns, string name, CancellationToken cancellationToken = default) =>
        Kubernetes.Scale.From(await GetScaleObjectAsync(type, ns, name, cancellationToken).ConfigureAwait(false));

    /// <summary>Sets the replicas as <c>oc scale</c> does: a merge patch <c>{"spec":{"replicas":N}}</c> to the scale subresource.</summary>
    public async Task<Scale> ScaleAsync(ResourceType type, string ns, string name, int replicas, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(replicas);
        var patch = new JsonObject { ["spec"] = new JsonObject { ["replicas"] = replicas } };
        return Kubernetes.Scale.From(await MergePatchAsync(type, ns, name, patch, "scale", cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// <c>oc adm certificate approve</c>: reads the CSR, adds the Approved condition and PUTs it to /approval with the
    /// resourceVersion it read. A conflict (someone else changed it meanwhile) is read again and retried a few times;
    /// an already approved CSR is left alone; a denied one is refused, since Approved and Denied exclude each other.
    /// </summary>
    public async Task<CsrApproval> ApproveCertificateSigningRequestAsync(
        string name, string reason = "RecoveryConsoleApprove", string message = "Approved by RecoveryConsole during a recovery procedure",
        CancellationToken cancellationToken = default)
    {
        var type = ResourceType.CertificateSigningRequests;
        for (var attempt = 1; ; attempt++)
        {
            var csr = await GetAsync(type, null, name, cancellationToken).ConfigureAwait(false);
            var conditions = (csr["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            if (conditions.Any(c => (string?)c["type"] == "Approved" && (string?)c["status"] == "True"))
                return new CsrApproval(name, true, csr);
            if (conditions.Any(c => (string?)c["type"] == "Denied" && (string?)c["status"] == "True"))
                throw new InvalidOperationException($"Certificate signing request {name} was denied; a denied request cannot be approved. Delete it so the kubelet files a new one.");

            var status = csr["status"] as JsonObject ?? [];
            csr["status"] = status;
            var list = status["conditions"] as JsonArray ?? [];
            status["conditions"] = list;
            var now = _options.TimeProvider.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            list.Add(new JsonObject
            {
                ["type"] = "Approved", ["status"] = "True", ["reason"] = reason, ["message"] = message,
                ["lastUpdateTime"] = now, ["lastTransitionTime"] = now,
            });
            try
            {
                var approved = await ReplaceSubresourceAsync(type, name, "approval", csr, cancellationToken).ConfigureAwait(false);
                return new CsrApproval(name, false, approved);
            }
            catch (KubernetesConflictException) when (attempt < ApprovalConflictAttempts)
            {
                // Read again: the new version may be approved already, or just carry a fresh resourceVersion.
            }
        }
    }

    private Task<JsonObject> GetScaleObjectAsync(ResourceType type, string ns, string name, CancellationToken cancellationToken) =>
        ObjectAsync("GET", type.ObjectPath(ns, name, "scale"), null, null, cancellationToken);

    private Task<JsonObject> ReplaceSubresourceAsync(ResourceType type, string name, string subresource, JsonObject obj, CancellationToken cancellationToken) =>
        ObjectAsync("PUT", type.ObjectPath(null, name, subresource), obj.ToJsonString(), "application/json", cancellationToken);
}
