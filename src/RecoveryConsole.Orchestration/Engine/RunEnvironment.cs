using Microsoft.Extensions.Logging;
using RecoveryConsole.Orchestration.Actions;
using RecoveryConsole.Orchestration.Audit;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Transcript;

namespace RecoveryConsole.Orchestration.Engine;

public sealed class OrchestrationOptions
{
    /// <summary>Folder of procedure files (relative to the content root).</summary>
    public string ProceduresFolder { get; set; } = "procedures";
    /// <summary>A command without its own timeout is stopped after this long, so that nothing hangs forever.</summary>
    public TimeSpan DefaultStepTimeout { get; set; } = TimeSpan.FromMinutes(30);
    /// <summary>How long an approval request and an approval hold, on the console's clock; past it the step asks again.</summary>
    public TimeSpan ApprovalLifetime { get; set; } = TimeSpan.FromMinutes(30);
    /// <summary>Lets an operator approve a destructive step alone with a written justification (off unless an admin enables it).</summary>
    public bool BreakGlassEnabled { get; set; }
    /// <summary>mode: together: the start skew above which a warning is written, unless the step sets its own maxSkew.</summary>
    public TimeSpan MaxStartSkew { get; set; } = TimeSpan.FromSeconds(1);
    /// <summary>mode: together: how long each host has to answer the check before anything starts.</summary>
    public TimeSpan TogetherCheckTimeout { get; set; } = TimeSpan.FromSeconds(15);
    /// <summary>Quiet time after the last change in the procedures folder before it is reloaded (an editor writes in bursts).</summary>
    public TimeSpan ProcedureReloadDelay { get; set; } = TimeSpan.FromMilliseconds(500);
    /// <summary>The folder is scanned this often even without a change notice: inotify can miss events.</summary>
    public TimeSpan ProcedureRescanInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Lines a run's viewer may have waiting (in frames shared by all viewers, so the memory is the run's recent output, not
    /// per viewer) before it reads from the store instead: room for a whole 200,000-line burst.
    /// </summary>
    public int ViewerBacklogLines { get; set; } = 250_000;
}

/// <summary>The services every run's executor uses.</summary>
internal sealed record RunEnvironment(
    RunFeed Feed,
    IRunRepository Runs,
    ITranscriptStore Transcripts,
    IAuditLog Audit,
    StepActions Actions,
    Redactor Redactor,
    TimeProvider Clock,
    OrchestrationOptions Options,
    ILogger Logger,
    Artifacts.IArtifactStore? Artifacts = null);
