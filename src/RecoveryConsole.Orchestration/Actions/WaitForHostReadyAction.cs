using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Actions;

/// <summary>After a reboot: the host answers over its transport again, then (when the API answers) its node is Ready.</summary>
public sealed class WaitForHostReadyAction : IStepAction
{
    public string Name => "waitForHostReady";
    public IReadOnlyCollection<string> Arguments { get; } = ["host", "every", "timeout"];

    public async Task ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var host = context.Host(context.RequiredArgument("host"));
        var hosts = context.Hosts ?? throw new StepFailedException("This cluster has no host transport.");
        var every = Polling.Every(context, TimeSpan.FromSeconds(10));
        var timeout = Polling.Timeout(context, TimeSpan.FromMinutes(30));
        await Polling.UntilAsync(context, $"{host.Name} answering again", every, timeout, async () =>
        {
            try
            {
                var exit = await hosts.RunAsync(host, "true", NullSink.Instance, cancellationToken);
                return (exit == 0, exit == 0 ? $"{host.Name} answers" : $"{host.Name}: 'true' exited {exit}");
            }
            catch (HostUnreachableException e) { return (false, $"{host.Name} does not answer yet: {e.Reason}"); }
        }, cancellationToken);
        await Polling.UntilAsync(context, $"node {host.Name} Ready", every, timeout, async () =>
        {
            var nodes = await KubeObjects.TryListAsync(context.Api, KubeObjects.Nodes, cancellationToken);
            if (nodes is null) return (false, "the API does not answer yet");
            var node = nodes.FirstOrDefault(n => KubeObjects.Name(n) == host.Name);
            return node is null ? (false, $"no node {host.Name}") : (KubeObjects.IsReady(node), $"node {host.Name} {(KubeObjects.IsReady(node) ? "Ready" : "NotReady")}");
        }, cancellationToken);
    }

    private sealed class NullSink : IOutputSink
    {
        public static readonly NullSink Instance = new();
        public void Line(OutputStream stream, string text) { }
    }
}
