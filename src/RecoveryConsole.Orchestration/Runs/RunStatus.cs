namespace RecoveryConsole.Orchestration.Runs;

public enum RunStatus
{
    Pending,
    Running,
    WaitingForApproval,
    WaitingForOperator,
    Succeeded,
    Failed,
    Cancelled,
    /// <summary>The console stopped while the run was active. Only an explicit, audited resume continues it.</summary>
    Interrupted,
}

public enum StepStatus
{
    Pending,
    WaitingForApproval,
    WaitingForOperator,
    Running,
    Succeeded,
    Failed,
    Skipped,
    Cancelled,
    Interrupted,
}

public static class StatusExtensions
{
    public static bool IsFinal(this RunStatus s) => s is RunStatus.Succeeded or RunStatus.Failed or RunStatus.Cancelled;
    public static bool IsActive(this RunStatus s) => s is RunStatus.Running or RunStatus.WaitingForApproval or RunStatus.WaitingForOperator or RunStatus.Pending;
    public static bool IsDone(this StepStatus s) => s is StepStatus.Succeeded or StepStatus.Skipped;
    public static bool IsFinal(this StepStatus s) => s is StepStatus.Succeeded or StepStatus.Skipped or StepStatus.Failed or StepStatus.Cancelled or StepStatus.Interrupted;
}

/// <summary>A transition the state machine does not allow: a bug or a stale command, never silently ignored.</summary>
public sealed class InvalidTransitionException(string message) : InvalidOperationException(message);
