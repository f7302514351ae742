using System.Text.Json.Nodes;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Actions;

/// <summary>
/// `oc get nodes`: every node with its Ready status; outputs the names of the Ready and NotReady ones, leaving out the
/// nodes named in <c>except</c> (lost hosts, which stay NotReady until their machines are re-created).
/// </summary>
public sealed class ListNodesAction : IStepAction
{
    public string Name => "listNodes";
    public IReadOnlyCollection<string> Arguments { get; } = ["except"];
    public IReadOnlyCollection<string> Outputs { get; } = ["ready", "notReady", "all"];

    public async Task ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var except = KubeObjects.ListArgument(context, "except");
        var nodes = (await KubeObjects.ListAsync(context.Api, KubeObjects.Nodes, cancellationToken)).Where(n => !except.Contains(KubeObjects.Name(n))).ToList();
        context.Output.Line(OutputStream.Stdout, $"{"NAME",-24} STATUS");
        foreach (var node in nodes)
            context.Output.Line(OutputStream.Stdout, $"{KubeObjects.Name(node),-24} {(KubeObjects.IsReady(node) ? "Ready" : "NotReady")}");
        context.SetOutput("ready", KubeObjects.Strings(nodes.Where(KubeObjects.IsReady).Select(KubeObjects.Name)));
        context.SetOutput("notReady", KubeObjects.Strings(nodes.Where(n => !KubeObjects.IsReady(n)).Select(KubeObjects.Name)));
        context.SetOutput("all", KubeObjects.Strings(nodes.Select(KubeObjects.Name)));
    }
}
