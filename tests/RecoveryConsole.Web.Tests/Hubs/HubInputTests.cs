using Microsoft.Extensions.Logging;
using RecoveryConsole.Web.Tests.Support;

namespace RecoveryConsole.Web.Tests.Hubs;

/// <summary>Bad input over the hub is refused in words, keeps the connection, and costs one short log line.</summary>
[Trait("Category", "Security")]
public sealed class HubInputTests
{
    [Fact]
    public async Task A_40_KB_value_and_a_line_separator_are_refused_with_a_message_and_the_connection_stays_usable()
    {
        await using var console = await TestConsole.StartAsync();
        using var oliviaHttp = await ConsoleClient.SignInAsync(console, DemoUsers.Olivia.Name, DemoUsers.Olivia.Password);
        await using var olivia = await HubClient.ConnectAsync(console.BaseAddress, oliviaHttp.Cookies);

        var huge = await Assert.ThrowsAsync<HubError>(() => olivia.InvokeAsync("Start", DemoUsers.SampleProcedure, DemoUsers.LabCluster,
            new Dictionary<string, string?> { ["recoveryHost"] = "master-0", ["ticket"] = new string('A', 40 * 1024) }));
        Assert.Contains("is 40,960 characters long; at most 4,096 are accepted", huge.Message);

        var forged = await Assert.ThrowsAsync<HubError>(() => olivia.InvokeAsync("Start", DemoUsers.SampleProcedure, DemoUsers.LabCluster,
            new Dictionary<string, string?> { ["recoveryHost"] = "master-0", ["ticket"] = "DRILL-1\u20281970-01-01 stdout master-0 | all fine" }));
        Assert.Contains("a Unicode line separator (U+2028) at position 8", forged.Message);

        Assert.Empty(await console.Get<Orchestration.Runs.IRunRepository>().ListAsync(new(), CancellationToken.None));
        var runId = await olivia.InvokeAsync<Guid>("Start", DemoUsers.SampleProcedure, DemoUsers.LabCluster, DemoUsers.SampleParameters);
        await olivia.InvokeAsync("Cancel", runId, "test over");
    }

    [Fact]
    public async Task Refused_calls_are_logged_once_each_at_information_without_a_stack_trace()
    {
        var log = new CapturedLog();
        // The shipped appsettings log Information by default; these tests otherwise log only warnings.
        await using var console = await TestConsole.StartAsync(configure: b => b.Logging.AddProvider(log),
            settings: "--Logging:LogLevel:RecoveryConsole=Information");
        using var veraHttp = await ConsoleClient.SignInAsync(console, DemoUsers.Vera.Name, DemoUsers.Vera.Password);
        await using var vera = await HubClient.ConnectAsync(console.BaseAddress, veraHttp.Cookies);
        log.Entries.Clear();

        const int Calls = 200;
        for (var i = 0; i < Calls; i++)
            await Assert.ThrowsAsync<HubError>(() => vera.InvokeAsync("Start", DemoUsers.SampleProcedure, DemoUsers.LabCluster, DemoUsers.SampleParameters));

        var entries = log.Entries.ToList();
        Assert.All(entries, e => Assert.Null(e.Exception));
        var refused = entries.Where(e => e.Message.StartsWith("Refused Start for vera: vera may not start a run", StringComparison.Ordinal)).ToList();
        Assert.Equal(Calls, refused.Count);
        Assert.All(refused, e => Assert.Equal(LogLevel.Information, e.Level));
        // One short line per call: 40,000 calls stay within a few megabytes.
        Assert.True(entries.Sum(e => e.WrittenLength) < Calls * 250, $"{entries.Sum(e => e.WrittenLength)} characters logged for {Calls} calls");
    }
}
