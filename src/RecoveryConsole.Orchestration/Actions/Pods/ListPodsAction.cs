using System.Text.Json.Nodes;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Actions.Pods;

/// <summary>
/// <c>oc get pods -l SELECTOR</c> in <c>namespace</c>, read so that a procedure can decide from the pods' state: outputs
/// <c>pods</c> (name, phase, ready, state: Running, CrashLoopBackOff ...), <c>ready</c> (names of Ready pods),
/// <c>anyReady</c> and <c>anyRunning</c> ("true"/"false": a container running, Ready or not), and <c>suggested</c>: the
/// first Ready pod, else the first whose container runs, else "".
/// </summary>
public sealed class ListPodsAction : IStepAction
{
    public string Name => "listPods";
    public IReadOnlyCollection<string> Arguments { get; } = ["namespace", "selector"];
    public IReadOnlyCollection<string> Outputs { get; } = ["pods", "ready", "anyReady", "anyRunning", "suggested"];

    public async Task ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var ns = context.RequiredArgument("namespace");
        var selector = context.Argument("selector", "");
        var path = $"/api/v1/namespaces/{Uri.EscapeDataString(ns)}/pods" + (selector.Length > 0 ? $"?labelSelector={Uri.EscapeDataString(selector)}" : "");
        var pods = (await KubeObjects.ListAsync(context.Api, path, cancellationToken)).OrderBy(KubeObjects.Name, StringComparer.Ordinal).ToList();

        var listed = new JsonArray();
        var ready = new List<string>();
        var running = new List<string>();
        context.Output.Line(OutputStream.Stdout, $"{"NAME",-28} {"READY",-6} {"STATUS",-18} PHASE");
        foreach (var pod in pods)
        {
            var name = KubeObjects.Name(pod);
            var phase = (string?)pod["status"]?["phase"] ?? "Unknown";
            var isReady = KubeObjects.Condition(pod, "Ready") == "True";
            var state = State(pod, phase);
            if (isReady) ready.Add(name);
            if (state == "Running") running.Add(name);
            listed.Add(new JsonObject { ["name"] = name, ["phase"] = phase, ["ready"] = isReady ? "true" : "false", ["state"] = state });
            context.Output.Line(OutputStream.Stdout, $"{name,-28} {(isReady ? "1/1" : "0/1"),-6} {state,-18} {phase}");
        }
        if (pods.Count == 0) context.Output.Line(OutputStream.Stdout, $"No resources found in {ns} namespace.");

        context.SetOutput("pods", listed);
        context.SetOutput("ready", KubeObjects.Strings(ready));
        context.SetOutput("anyReady", JsonValue.Create(ready.Count > 0 ? "true" : "false"));
        context.SetOutput("anyRunning", JsonValue.Create(running.Count > 0 ? "true" : "false"));
        context.SetOutput("suggested", JsonValue.Create(ready.FirstOrDefault() ?? running.FirstOrDefault() ?? ""));
    }

    /// <summary>What <c>oc get pods</c> shows as STATUS: the first container's waiting reason, else Running or the phase.</summary>
    private static string State(JsonObject pod, string phase)
    {
        var container = (pod["status"]?["containerStatuses"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault();
        if ((string?)container?["state"]?["waiting"]?["reason"] is { Length: > 0 } waiting) return waiting;
        if (container?["state"]?["running"] is not null) return "Running";
        return phase;
    }
}
