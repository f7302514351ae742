using System.Text.Json.Nodes;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Actions;

/// <summary>
/// Does the cluster's (external) API answer, and does it still serve data? A restore is the last resort while it does
/// (5.3.2.1); the etcd redeployment goes through the recovery host's localhost-recovery.kubeconfig while it does not.
/// </summary>
public sealed class ProbeApiAction : IStepAction
{
    public string Name => "probeApi";
    public IReadOnlyCollection<string> Arguments { get; } = ["timeout"];
    public IReadOnlyCollection<string> Outputs { get; } = ["answers", "servesData"];

    public async Task ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Procedures.Model.Durations.ParseOr(context.Argument("timeout", ""), TimeSpan.FromSeconds(20)));
        var answers = await StatusAsync(context, "/version", deadline.Token, cancellationToken) is >= 200 and < 300;
        var servesData = answers && await StatusAsync(context, "/api/v1/namespaces/default", deadline.Token, cancellationToken) is >= 200 and < 300;
        context.Output.Line(OutputStream.Stdout, answers
            ? servesData ? "The API answers and serves data." : "The API answers but cannot serve data (etcd unavailable)."
            : "The API does not answer.");
        context.SetOutput("answers", JsonValue.Create(answers ? "true" : "false"));
        context.SetOutput("servesData", JsonValue.Create(servesData ? "true" : "false"));
    }

    private static async Task<int> StatusAsync(ActionContext context, string path, CancellationToken deadline, CancellationToken run)
    {
        try { return (await context.Api.SendAsync(new ApiRequest("GET", path), deadline)).Status; }
        catch (ApiUnreachableException) { return 0; }
        catch (OperationCanceledException) when (!run.IsCancellationRequested) { return 0; } // timed out: no answer
    }
}
