namespace RecoveryConsole.Procedures.Expectations;

/// <summary>What a command (exit code, stdout) or an API call (HTTP status, body) produced.</summary>
public sealed record ProbeOutcome(int? ExitCode, int? HttpStatus, string Output)
{
    public static ProbeOutcome FromCommand(int exitCode, string stdout) => new(exitCode, null, stdout);
    public static ProbeOutcome FromApi(int status, string body) => new(null, status, body);
}
