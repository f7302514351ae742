using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Runs;

namespace RecoveryConsole.Web.Tests.Support;

/// <summary>A lab run of the chatty fixture (one step printing the numbers 1 to 150,000), in-process.</summary>
public static class ChattyRun
{
    public const string Procedure = "chatty-drill";
    public const long Printed = 150_000;

    public static string ProceduresFolder => Path.Combine(AppContext.BaseDirectory, "chatty-procedures");

    public static Task<Guid> StartAsync(TestConsole console) =>
        console.Get<RunService>().StartAsync(new StartRunRequest(Procedure, DemoUsers.LabCluster, DemoUsers.SampleParameters), RunDriver.Olivia,
            CancellationToken.None);
}
