using RecoveryConsole.Orchestration.Actions;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Procedures.Model;

namespace RecoveryConsole.Orchestration.Engine;

/// <summary>
/// Previews of actions that can show what they will do (<see cref="IPreviewableAction"/>: a file edit's diff): made for
/// the approval's binding, and made again just before the action runs, where the approval that covers the step must
/// contain exactly that preview. The engine knows no action by name.
/// </summary>
internal sealed partial class RunExecutor
{
    /// <summary>For <see cref="ApprovalBinding"/>: the preview of one action part with its arguments as rendered there.</summary>
    private async Task<ActionPreview?> PreviewAsync(StepDefinition part, StepScope scope, IReadOnlyDictionary<string, string> arguments, StepOutput output)
    {
        if (env.Actions.Find(part.Action!.Name) is not IPreviewableAction action) return null;
        var context = ActionContextFor(part, arguments, scope.Values, output);
        try { return await action.PreviewAsync(context, Stop); }
        catch (HostUnreachableException e) { throw new StepFailedException(e.Message, inner: e); }
        catch (FileTransferException e) { throw new StepFailedException(e.Message, inner: e); }
    }

    /// <summary>
    /// The preview as the action would do it now, shown in the transcript. Under an approval (of this step or of an
    /// enclosing group) the approval's text must hold the same preview: one made from something that changed since
    /// (a file edited meanwhile) fails the step with the action's own sentence, and nothing is changed.
    /// </summary>
    private async Task<ActionPreview> ApprovedPreviewAsync(IPreviewableAction action, StepDefinition step, string instance, ActionContext context, StepOutput output)
    {
        var preview = await action.PreviewAsync(context, Stop);
        var block = ApprovalBinding.Block(step.Path, preview.Text, env.Redactor);
        foreach (var line in block.TrimEnd('\n').Split('\n')) output.System(line);
        var covering = Run.Approvals.LastOrDefault(a => a is { Decision: ApprovalDecision.Approved, Consumed: true } && Covers(a.StepPath, instance));
        if (covering is not null && covering.BindingText?.Contains(block, StringComparison.Ordinal) != true)
            throw new StepFailedException(preview.Changed);
        return preview;
    }

    private static bool Covers(string approved, string instance) =>
        instance == approved || instance.StartsWith(approved + "/", StringComparison.Ordinal) || instance.StartsWith(approved + "[", StringComparison.Ordinal);
}
