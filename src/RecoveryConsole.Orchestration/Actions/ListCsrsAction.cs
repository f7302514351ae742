using System.Text.Json.Nodes;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Actions;

/// <summary>
/// `oc get csr` and `oc describe csr`: the pending requests with requestor, signer and age, for the operator's review.
/// Output <c>pending</c>: objects {name, signer, requestor, age, kind} where kind is <c>client</c> (a node-bootstrapper's
/// kubelet client request), <c>serving</c> (a node's kubelet serving request) or <c>other</c>.
/// </summary>
public sealed class ListCsrsAction : IStepAction
{
    public const string BootstrapperRequestor = "system:serviceaccount:openshift-machine-config-operator:node-bootstrapper";

    public string Name => "listCsrs";
    public IReadOnlyCollection<string> Arguments { get; } = [];
    public IReadOnlyCollection<string> Outputs { get; } = ["pending", "count"];

    public async Task ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var csrs = await KubeObjects.ListAsync(context.Api, KubeObjects.Csrs, cancellationToken);
        var now = context.Clock.GetUtcNow();
        var pending = new JsonArray();
        context.Output.Line(OutputStream.Stdout, $"{"NAME",-12} {"AGE",-6} {"SIGNERNAME",-44} {"REQUESTOR",-76} CONDITION");
        foreach (var csr in csrs)
        {
            var signer = (string?)csr["spec"]?["signerName"] ?? "";
            var requestor = (string?)csr["spec"]?["username"] ?? "";
            var created = DateTimeOffset.TryParse((string?)csr["metadata"]?["creationTimestamp"], out var c) ? c : now;
            var age = Age(now - created);
            var isPending = (csr["status"]?["conditions"] as JsonArray ?? []).Count == 0;
            var condition = isPending ? "Pending" : string.Join(",", (csr["status"]!["conditions"] as JsonArray)!.Select(x => (string?)x?["type"]));
            context.Output.Line(OutputStream.Stdout, $"{KubeObjects.Name(csr),-12} {age,-6} {signer,-44} {requestor,-76} {condition}");
            if (!isPending) continue;
            pending.Add(new JsonObject
            {
                ["name"] = KubeObjects.Name(csr), ["signer"] = signer, ["requestor"] = requestor, ["age"] = age, ["kind"] = KindOf(signer, requestor),
            });
        }
        context.SetOutput("pending", pending);
        context.SetOutput("count", JsonValue.Create(pending.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <summary>What the document approves: client CSRs from the node-bootstrapper, serving CSRs requested by a node for itself.</summary>
    public static string KindOf(string signer, string requestor) => signer switch
    {
        "kubernetes.io/kube-apiserver-client-kubelet" when requestor == BootstrapperRequestor || requestor.StartsWith("system:node:", StringComparison.Ordinal) => "client",
        "kubernetes.io/kubelet-serving" when requestor.StartsWith("system:node:", StringComparison.Ordinal) => "serving",
        _ => "other",
    };

    private static string Age(TimeSpan t) => t.TotalMinutes < 1 ? $"{Math.Max(0, (int)t.TotalSeconds)}s"
        : t.TotalHours < 1 ? $"{(int)t.TotalMinutes}m{t.Seconds}s" : t.TotalDays < 1 ? $"{(int)t.TotalHours}h{t.Minutes}m" : $"{(int)t.TotalDays}d";
}
