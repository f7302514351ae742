using System.Text.Json.Nodes;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Actions;

/// <summary>
/// 5.3.2.2 step 15 for one lost control-plane host: `oc get machines -o wide` to find the machine by its node,
/// `oc delete machine`, then wait until the Machine API provisioned its replacement (phase Running, node back). The
/// recovery host's machine is refused whatever was asked: deleting it destroys the only working member.
/// </summary>
public sealed class RecreateMachineAction : IStepAction
{
    public string Name => "recreateMachine";
    public IReadOnlyCollection<string> Arguments { get; } = ["node", "machine", "recoveryHost", "every", "timeout"];
    public IReadOnlyCollection<string> Outputs { get; } = ["deleted", "created"];

    public async Task ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var recoveryHost = context.RequiredArgument("recoveryHost");
        var machines = await KubeObjects.ListAsync(context.Api, KubeObjects.Machines, cancellationToken);
        var machine = FindMachine(context, machines);
        var name = KubeObjects.Name(machine);
        var node = NodeOf(machine) ?? context.Argument("node", "");
        if (node == recoveryHost)
            throw new StepFailedException($"Machine {name} is the recovery host {recoveryHost}'s: never delete and re-create the recovery host's machine (5.3.2.2 step 15 warning).");
        if (!IsControlPlane(machine))
            throw new StepFailedException($"Machine {name} is not a control-plane machine; this step re-creates lost control-plane hosts only.");
        if (node.Length == 0)
            throw new StepFailedException($"Machine {name} has no node; say which lost host it belongs to.");

        var deleted = await context.Api.SendAsync(new ApiRequest("DELETE", $"{KubeObjects.Machines}/{Uri.EscapeDataString(name)}"), cancellationToken);
        if (!deleted.IsSuccess && deleted.Status != 404) throw new StepFailedException($"Deleting machine {name} failed: HTTP {deleted.Status}.");
        context.Output.Line(OutputStream.Stdout, $"machine.machine.openshift.io \"{name}\" deleted");
        context.SetOutput("deleted", JsonValue.Create(name));

        string? created = null;
        await Polling.UntilAsync(context, $"A new machine for {node} running", Polling.Every(context, TimeSpan.FromSeconds(15)),
            Polling.Timeout(context, TimeSpan.FromMinutes(30)), async () =>
            {
                var now = await KubeObjects.ListAsync(context.Api, KubeObjects.Machines, cancellationToken);
                var replacement = now.FirstOrDefault(m => KubeObjects.Name(m) != name && IsControlPlane(m) && NodeOf(m) == node)
                                  ?? now.FirstOrDefault(m => KubeObjects.Name(m) != name && IsControlPlane(m) && NodeOf(m) is null);
                var phase = (string?)replacement?["status"]?["phase"];
                created = replacement is null ? null : KubeObjects.Name(replacement);
                var gone = now.All(m => KubeObjects.Name(m) != name);
                return (gone && phase == "Running" && NodeOf(replacement!) == node,
                    replacement is null ? $"{name} {(gone ? "deleted" : "deleting")}, no replacement yet" : $"{created} {phase ?? "Pending"} {NodeOf(replacement) ?? ""}".TrimEnd());
            }, cancellationToken);
        context.SetOutput("created", JsonValue.Create(created));
    }

    private static JsonObject FindMachine(ActionContext context, List<JsonObject> machines)
    {
        if (context.Argument("machine", "") is { Length: > 0 } byName)
            return machines.FirstOrDefault(m => KubeObjects.Name(m) == byName)
                   ?? throw new StepFailedException($"There is no machine {byName} in openshift-machine-api.");
        var node = context.RequiredArgument("node");
        return machines.FirstOrDefault(m => NodeOf(m) == node)
               ?? throw new StepFailedException($"No machine has node {node}: on user-provisioned or bare-metal installs re-create the host the way it was installed.");
    }

    private static string? NodeOf(JsonObject machine) => (string?)machine["status"]?["nodeRef"]?["name"];

    private static bool IsControlPlane(JsonObject machine) =>
        (string?)machine["metadata"]?["labels"]?["machine.openshift.io/cluster-api-machine-role"] is "master" or null;
}
