namespace RecoveryConsole.Procedures.Expectations;

/// <summary>What a command (exit code, stdout, stderr) or an API call (HTTP status, body in <see cref="Output"/>) produced.</summary>
public sealed record ProbeOutcome(int? ExitCode, int? HttpStatus, string Output, string? Stderr = null)
{
    public static ProbeOutcome FromCommand(int exitCode, string stdout, string? stderr = null) => new(exitCode, null, stdout, stderr);
    public static ProbeOutcome FromApi(int status, string body) => new(null, status, body);
}
