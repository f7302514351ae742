using System.Text.Json.Nodes;
using RecoveryConsole.Orchestration.Engine;

namespace RecoveryConsole.Orchestration.Actions.Pods;

/// <summary>
/// Which pod an exec or copy acts on: <c>namespace</c> with <c>pod</c>, or with <c>selector</c> (a label selector: the
/// first Running pod by name, as <c>oc exec deploy/x</c> picks one). <c>container</c> is needed for pods with several.
/// </summary>
internal sealed record PodTarget(string Namespace, string Pod, string? Container)
{
    public static readonly string[] Arguments = ["namespace", "pod", "selector", "container"];

    public static async Task<PodTarget> ResolveAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var ns = context.RequiredArgument("namespace");
        var container = context.Argument("container", "") is { Length: > 0 } c ? c : null;
        var pod = context.Argument("pod", "");
        var selector = context.Argument("selector", "");
        if (pod.Length > 0 && selector.Length > 0)
            throw new StepFailedException("Give either 'pod' or 'selector', not both: it must be clear which pod the action acts on.");
        if (pod.Length > 0) return new PodTarget(ns, pod, container);
        if (selector.Length == 0) throw new StepFailedException("The action needs 'pod' (a pod's name) or 'selector' (a label selector such as app=etcd).");

        var pods = await KubeObjects.ListAsync(context.Api, $"/api/v1/namespaces/{Uri.EscapeDataString(ns)}/pods?labelSelector={Uri.EscapeDataString(selector)}", cancellationToken);
        var running = pods.Where(p => (string?)p["status"]?["phase"] == "Running").Select(KubeObjects.Name).Order(StringComparer.Ordinal).ToList();
        if (running.Count == 0)
            throw new StepFailedException(pods.Count == 0
                ? $"No pod in namespace {ns} matches the selector {selector}."
                : $"None of the pods matching {selector} in {ns} is Running ({string.Join(", ", pods.Select(Describe))}).");
        context.Output.Line(Transports.OutputStream.System, $"selector {selector} in {ns}: pod {running[0]} (of {running.Count} running)");
        return new PodTarget(ns, running[0], container);
    }

    private static string Describe(JsonObject pod) => $"{KubeObjects.Name(pod)}: {(string?)pod["status"]?["phase"] ?? "no phase"}";

    public Transports.PodCommand Command(IReadOnlyList<string> words) => new(Namespace, Pod, words, Container);

    public Transports.PodPath File(string path) => new(Namespace, Pod, path, Container);
}
