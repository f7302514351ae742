using System.Text.Json.Nodes;

namespace RecoveryConsole.Orchestration.Actions.Pods;

/// <summary>
/// <c>oc exec</c>: runs a command in a pod over the API (exec v5/v4); stdout and stderr stream into the step's
/// transcript line by line like SSH output. The exit code is judged by the step's <c>expect:</c> (0 by default) and the
/// stdout is what <c>capture:</c> reads; outputs <c>exitCode</c> and <c>pod</c> (the pod a selector chose).
/// </summary>
public sealed class PodExecAction : IStepAction
{
    public string Name => "podExec";
    public IReadOnlyCollection<string> Arguments { get; } = [.. PodTarget.Arguments, "command"];
    public IReadOnlyCollection<string> Outputs { get; } = ["exitCode", "pod"];

    public async Task ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var words = CommandWords.Parse(context.RequiredArgument("command"));
        var target = await PodTarget.ResolveAsync(context, cancellationToken);
        var exit = await context.Api.PodExecAsync(target.Command(words), context.Output, cancellationToken);
        context.SetOutput("exitCode", JsonValue.Create(exit));
        context.SetOutput("pod", JsonValue.Create(target.Pod));
        context.ReportExitCode(exit);
    }
}
