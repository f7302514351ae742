using System.Text.Json;
using System.Text.Json.Nodes;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Procedures.Model;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Actions;

/// <summary>
/// `oc get csr` then `oc adm certificate approve` for every pending request: client CSRs of the node-bootstrapper
/// first, serving CSRs of nodes after. With `until: none-pending` it keeps going (new CSRs appear once the first are
/// approved) until a poll finds none pending, within the step's timeout. With <c>names</c> it approves exactly the
/// requests the operator chose after review, each still pending and of a kind the document approves (a node-bootstrapper
/// client request; a node's serving request unless <c>serving: false</c>: on installer-provisioned clusters the
/// machine approver normally signs those, on user-provisioned ones the document has the operator approve them).
/// </summary>
public sealed class ApproveCsrsAction : IStepAction
{
    private const string Path = KubeObjects.Csrs;

    public string Name => "approveCsrs";
    public IReadOnlyCollection<string> Arguments { get; } = ["until", "every", "timeout", "signer", "names", "serving"];
    public IReadOnlyCollection<string> Outputs { get; } = ["approved"];

    public async Task ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        if (context.Arguments.ContainsKey("names"))
        {
            await ApproveChosenAsync(context, cancellationToken);
            return;
        }
        var untilNonePending = context.Argument("until", "") == "none-pending";
        var signer = context.Argument("signer", "");
        var every = Durations.ParseOr(context.Argument("every", ""), TimeSpan.FromSeconds(5));
        var deadline = context.Clock.GetUtcNow() + Durations.ParseOr(context.Argument("timeout", ""), context.Timeout ?? TimeSpan.FromMinutes(10));
        var approved = 0;
        while (true)
        {
            var list = await context.Api.SendAsync(new ApiRequest("GET", Path), cancellationToken);
            if (!list.IsSuccess) throw new StepFailedException($"Listing CSRs failed: HTTP {list.Status}.");
            var pending = Pending(list.Body, signer);
            foreach (var csr in pending)
            {
                await ApproveAsync(context, csr, cancellationToken);
                approved++;
            }
            if (!untilNonePending || (pending.Count == 0 && approved > 0)) break;
            if (context.Clock.GetUtcNow() + every > deadline)
                throw new StepFailedException($"CSRs were still appearing or none arrived before the timeout ({approved} approved).");
            await Task.Delay(every, context.Clock, cancellationToken);
        }
        context.Output.Line(OutputStream.Stdout, $"{approved} certificate signing request(s) approved");
    }

    private static async Task ApproveChosenAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var names = KubeObjects.ListArgument(context, "names");
        var serving = context.Argument("serving", "true") == "true";
        var list = await context.Api.SendAsync(new ApiRequest("GET", Path), cancellationToken);
        if (!list.IsSuccess) throw new StepFailedException($"Listing CSRs failed: HTTP {list.Status}.");
        var pending = Pending(list.Body, "").ToDictionary(c => c["metadata"]?["name"]?.GetValue<string>() ?? "");
        var approved = new JsonArray();
        foreach (var name in names)
        {
            if (!pending.TryGetValue(name, out var csr))
            {
                context.Output.Line(OutputStream.Stderr, $"certificatesigningrequest {name} is no longer pending; skipped");
                continue;
            }
            var kind = ListCsrsAction.KindOf(csr["spec"]?["signerName"]?.GetValue<string>() ?? "", csr["spec"]?["username"]?.GetValue<string>() ?? "");
            if (kind == "other" || (kind == "serving" && !serving))
                throw new StepFailedException(kind == "serving"
                    ? $"{name} is a kubelet serving request: the document approves those on user-provisioned installations only."
                    : $"{name} is neither a node-bootstrapper client request nor a node's serving request; the document does not approve it.");
            await ApproveAsync(context, csr, cancellationToken);
            approved.Add(name);
        }
        context.SetOutput("approved", approved);
        context.Output.Line(OutputStream.Stdout, $"{approved.Count} certificate signing request(s) approved");
    }

    private static List<JsonObject> Pending(string body, string signer)
    {
        var items = JsonNode.Parse(body)?["items"] as JsonArray ?? [];
        return items.OfType<JsonObject>()
            .Where(csr => (csr["status"]?["conditions"] as JsonArray ?? []).Count == 0)
            .Where(csr => signer.Length == 0 || csr["spec"]?["signerName"]?.GetValue<string>() == signer)
            .ToList();
    }

    private static async Task ApproveAsync(ActionContext context, JsonObject csr, CancellationToken cancellationToken)
    {
        var name = csr["metadata"]?["name"]?.GetValue<string>() ?? throw new StepFailedException("A CSR without a name.");
        var status = csr["status"] as JsonObject ?? new JsonObject();
        csr["status"] = status;
        status["conditions"] = new JsonArray(new JsonObject
        {
            ["type"] = "Approved",
            ["status"] = "True",
            ["reason"] = "RecoveryConsoleApprove",
            ["message"] = "Approved by RecoveryConsole during a recovery procedure",
            ["lastUpdateTime"] = context.Clock.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssZ"),
        });
        var response = await context.Api.SendAsync(
            new ApiRequest("PUT", $"{Path}/{Uri.EscapeDataString(name)}/approval", csr.ToJsonString(), "application/json"), cancellationToken);
        if (response.Status == 409)
        {
            context.Output.Line(OutputStream.Stderr, $"certificatesigningrequest {name} changed meanwhile (409); will look again");
            return;
        }
        if (!response.IsSuccess) throw new StepFailedException($"Approving CSR {name} failed: HTTP {response.Status}.");
        var requestor = csr["spec"]?["username"]?.GetValue<string>() ?? "?";
        context.Output.Line(OutputStream.Stdout, $"certificatesigningrequest.certificates.k8s.io/{name} approved ({requestor})");
    }
}
