using Microsoft.Playwright;
using RecoveryConsole.Orchestration.Approvals;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Web.Tests.Support;

namespace RecoveryConsole.Web.Tests;

/// <summary>After a rejection: a new run with corrected parameters, prefilled from the old one, and the two runs linked both ways.</summary>
[Trait("Category", "Browser")]
public sealed class RetryBrowserTests
{
    private const float Timeout = Browser.Timeout;

    [Fact]
    public async Task A_rejected_run_is_started_again_from_its_page_with_corrected_parameters_and_the_runs_link_both_ways()
    {
        await using var console = await TestConsole.StartAsync();
        var runs = console.Get<RunService>();
        var repository = console.Get<IRunRepository>();
        var rejected = await runs.StartAsync(new StartRunRequest(DemoUsers.SampleProcedure, DemoUsers.LabCluster,
                new Dictionary<string, string?> { ["recoveryHost"] = "master-0", ["ticket"] = "OPS-1" }),
            new Actor(DemoUsers.Olivia.Name, [Roles.Operator]), CancellationToken.None);
        var pending = await WaitForAsync(repository, rejected, r => r.Approvals.Any(a => a.Decision == ApprovalDecision.Pending));
        await runs.RejectAsync(rejected, pending.Approvals.Single(a => a.Decision == ApprovalDecision.Pending).StepPath,
            new Actor(DemoUsers.Arjun.Name, [Roles.Approver]), "wrong recovery host", CancellationToken.None);
        await WaitForAsync(repository, rejected, r => r.Status == RunStatus.Failed && !runs.IsActive(rejected));

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browser.LaunchAsync(playwright);
        var olivia = await Browser.SignInAsync(browser, console, DemoUsers.Olivia);
        try
        {
            await olivia.GotoAsync($"/runs/{rejected}");
            await Assertions.Expect(olivia.Locator("[data-testid=run-status]")).ToHaveTextAsync("Failed", new() { Timeout = Timeout });
            await olivia.GetByRole(AriaRole.Button, new() { Name = "Start a new run with corrected parameters" }).ClickAsync();

            // The wizard, prefilled from the rejected run.
            await Assertions.Expect(olivia.Locator("[data-testid=retry-of]")).ToContainTextAsync(rejected.ToString()[..8], new() { Timeout = Timeout });
            await Assertions.Expect(olivia.Locator("[data-param=cluster]")).ToContainTextAsync(DemoUsers.LabCluster, new() { Timeout = Timeout });
            await Assertions.Expect(olivia.Locator("[data-param=recoveryHost] .rz-dropdown")).ToContainTextAsync("master-0", new() { Timeout = Timeout });
            await Assertions.Expect(olivia.Locator("[data-param=ticket] input")).ToHaveValueAsync("OPS-1", new() { Timeout = Timeout });

            // Corrected: another recovery host and ticket.
            await olivia.Locator("[data-param=recoveryHost] .rz-dropdown").ClickAsync();
            await olivia.GetByRole(AriaRole.Option, new() { Name = "master-1", Exact = true }).ClickAsync();
            await olivia.Locator("[data-param=ticket] input").FillAsync("OPS-2");
            await olivia.GetByRole(AriaRole.Button, new() { Name = "Review plan" }).ClickAsync();
            await Assertions.Expect(olivia.Locator("[data-testid=plan]")).ToContainTextAsync("recovery-OPS-2", new() { Timeout = Timeout });
            await olivia.GetByRole(AriaRole.Button, new() { Name = "Start drill" }).ClickAsync();

            await Assertions.Expect(olivia.Locator("[data-testid=retry-of]")).ToContainTextAsync($"retry of run {rejected.ToString()[..8]}", new() { Timeout = Timeout });
            var retry = Guid.Parse(olivia.Url[(olivia.Url.LastIndexOf('/') + 1)..]);
            var stored = (await repository.GetAsync(retry, CancellationToken.None))!;
            Assert.Equal(rejected, stored.PreviousRunId);
            Assert.Contains("\"recoveryHost\":\"master-1\"", stored.ParametersJson, StringComparison.Ordinal);
            Assert.Contains("\"ticket\":\"OPS-2\"", stored.ParametersJson, StringComparison.Ordinal);

            await olivia.GotoAsync($"/runs/{rejected}");
            await Assertions.Expect(olivia.Locator("[data-testid=retried-as]")).ToContainTextAsync($"retried as run {retry.ToString()[..8]}", new() { Timeout = Timeout });
            await runs.CancelAsync(retry, new Actor(DemoUsers.Olivia.Name, [Roles.Operator]), "retry drill over", CancellationToken.None);
        }
        catch
        {
            await olivia.ScreenshotAsync(new() { Path = "/tmp/retry-failure.png", FullPage = true });
            throw;
        }
    }

    private static async Task<Run> WaitForAsync(IRunRepository runs, Guid id, Func<Run, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var run = await runs.GetAsync(id, CancellationToken.None);
            if (run is not null && condition(run)) return run;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Run {id} is {run?.Status}: {run?.StatusReason}");
            await Task.Delay(100);
        }
    }
}
