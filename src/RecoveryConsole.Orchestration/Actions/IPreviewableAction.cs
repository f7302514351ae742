namespace RecoveryConsole.Orchestration.Actions;

/// <summary>
/// An action whose effect depends on what it finds (a file it edits): before the approval the engine asks it what it
/// would do, and that preview becomes part of the approval's binding text, so the approver approves exactly it and the
/// binding's hash covers it. As the step starts the preview is made again; a different one voids the approval. The
/// engine calls <see cref="PreviewAsync"/> once more right before <see cref="IStepAction.ExecuteAsync"/> and hands the
/// result in <see cref="ActionContext.Preview"/>. A preview that cannot be made (nothing to change) fails the step in words.
/// </summary>
public interface IPreviewableAction : IStepAction
{
    Task<ActionPreview> PreviewAsync(ActionContext context, CancellationToken cancellationToken);
}

/// <summary>
/// What the approver sees (<see cref="Text"/>), what it was made from (<see cref="Basis"/>: e.g. the original file's
/// SHA-256, which the action checks again before it changes anything), and the sentence that says why an approval of
/// another preview no longer holds (<see cref="Changed"/>).
/// </summary>
public sealed record ActionPreview(string Text, string Basis, string Changed);
