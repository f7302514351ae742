using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Procedures.Conditions;

namespace RecoveryConsole.Orchestration.Actions;

/// <summary>
/// A guard in a procedure: the step fails with <c>message</c> unless <c>condition</c> (over parameters, facts and
/// captured variables) holds. "The backup's z-stream equals the cluster's" is such a guard.
/// </summary>
public sealed class CheckAction : IStepAction
{
    public string Name => "check";
    public IReadOnlyCollection<string> Arguments { get; } = ["condition", "message"];

    public Task ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var condition = context.RequiredArgument("condition");
        bool holds;
        try { holds = Condition.Parse(condition).Evaluate(context.Values); }
        catch (ConditionException e) { throw new StepFailedException(e.Message); }
        if (!holds) throw new StepFailedException(context.Argument("message", $"'{condition}' does not hold."));
        context.Output.Line(OutputStream.Stdout, $"'{condition}' holds");
        return Task.CompletedTask;
    }
}
