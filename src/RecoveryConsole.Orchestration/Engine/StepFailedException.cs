namespace RecoveryConsole.Orchestration.Engine;

/// <summary>A step did not reach its expected result. The message is for the operator: what failed and why.</summary>
public sealed class StepFailedException(string message, int? exitCode = null, Exception? inner = null) : Exception(message, inner)
{
    public int? ExitCode { get; } = exitCode;
}
