using RecoveryConsole.Procedures.Model;

namespace RecoveryConsole.Orchestration.Engine;

/// <summary>A preflight check runs, and is planned, as a run or API step of its own (skipped, like a step, when its <c>when:</c> is false).</summary>
internal static class PreflightStep
{
    /// <summary>A check that hangs is a failed check, not a hung run.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public static StepDefinition From(Check check, string path) => new()
    {
        Id = check.Id, Path = path, Title = $"Preflight: {check.Title}", Target = check.Target,
        Kind = check.Probe.Api is not null ? StepKind.Api : StepKind.Run,
        Run = check.Probe.Command, Api = check.Probe.Api, Expect = check.Expect, Timeout = Timeout, When = check.When, Cluster = check.Cluster,
    };
}
