using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using RecoveryConsole.Clusters.Drills;
using RecoveryConsole.Lab.Clusters;
using RecoveryConsole.Lab.Health;
using RecoveryConsole.Orchestration.Approvals;
using RecoveryConsole.Web.Tests.Support;
using Xunit.Abstractions;

namespace RecoveryConsole.Web.Tests;

/// <summary>
/// The shipped restore (5.3.2.2) on the lab with a majority of control-plane hosts lost, done through the UI only:
/// olivia starts it from the wizard and answers its questions, arjun approves each destructive step in his own
/// browser context. The lab's own health model judges the outcome.
/// </summary>
[Trait("Category", "Browser")]
public sealed partial class RestoreBrowserTests(ITestOutputHelper output)
{
    private const float Timeout = Browser.Timeout;
    private const string Procedure = "ocp4-restore-previous-state";
    private const string StorageNote = "Checked the PVs of shop-db and the CSI credentials: nothing changed since the backup";

    [Fact]
    public async Task Operator_and_approver_restore_a_cluster_that_lost_two_masters_through_the_run_page()
    {
        // The lab's waits (reboots, rollouts, machine provisioning) at 1/200 of their time.
        await using var console = await TestConsole.StartAsync(timeScale: 0.005);
        var staged = await console.Get<LabDrills>().StageAsync(DemoUsers.LabCluster, "ocp4-control-plane-majority-lost",
            new Actor("olivia", [Roles.Operator]), CancellationToken.None);
        Assert.True(staged.Has("etcd-quorum-lost"), staged.ToString());

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browser.LaunchAsync(playwright);
        var olivia = await Browser.SignInAsync(browser, console, DemoUsers.Olivia);
        var arjun = await Browser.SignInAsync(browser, console, DemoUsers.Arjun);
        try
        {
            await olivia.GotoAsync($"/procedures/{Procedure}/start");
            await PickAsync(olivia, "cluster", DemoUsers.LabCluster);
            await PickAsync(olivia, "recoveryHost", "master-0");
            await PickAsync(olivia, "lostHosts", "master-1", "master-2");
            await olivia.GetByRole(AriaRole.Button, new() { Name = "Review plan" }).ClickAsync();
            await Assertions.Expect(olivia.Locator("[data-testid=plan]")).ToContainTextAsync("DESTRUCTIVE", new() { Timeout = Timeout });
            var clock = Stopwatch.StartNew();
            await olivia.GetByRole(AriaRole.Button, new() { Name = "Start drill" }).ClickAsync();
            await Assertions.Expect(olivia).ToHaveURLAsync(RunUrl(), new() { Timeout = Timeout });
            await arjun.GotoAsync(olivia.Url);

            var drive = await DriveToEndAsync(olivia, arjun);
            output.WriteLine($"run took {clock.Elapsed.TotalSeconds:F1} s in the browser: {drive.Approvals} approvals, " +
                             $"questions {string.Join(", ", drive.Answered)}; slowest waits: {string.Join(", ", drive.Timeline.OrderByDescending(t => t.Seconds).Take(5).Select(t => $"{t.What} {t.Seconds:F1}s"))}");

            await Assertions.Expect(olivia.Locator("[data-testid=run-status]")).ToHaveTextAsync("Succeeded", new() { Timeout = Timeout });
            Assert.True(drive.Approvals >= 5, $"{drive.Approvals} approvals clicked");
            Assert.Contains("recreate-machines/choose", drive.Answered);
            Assert.Contains(drive.Answered, a => a.StartsWith("approve-csrs[", StringComparison.Ordinal));

            // What a reviewer reads in the step list: captured values and who answered what.
            var steps = olivia.Locator("[data-testid=steps]");
            await Assertions.Expect(steps.Locator("[data-var=backupVersion]")).ToHaveTextAsync("backupVersion = 4.16.12");
            await Assertions.Expect(steps.Locator("li[data-step='recreate-machines/choose@'] [data-testid=step-answer]"))
                .ToHaveTextAsync("Answered by olivia: master-1, master-2");
            await Assertions.Expect(steps.Locator("li[data-step='recreate-machines/choose@'] [data-var=recreate]")).ToHaveTextAsync("recreate = [master-1, master-2]");
            await Assertions.Expect(steps.Locator("li[data-step='storage-caveats'] .rc-step-note")).ToContainTextAsync($"Note by olivia: {StorageNote}");
            await Assertions.Expect(arjun.Locator("[data-testid=command-error]")).ToHaveCountAsync(0);
            await olivia.ScreenshotAsync(new() { Path = "/tmp/restore-run-page.png", FullPage = true });

            var health = LabHealth.Evaluate(console.Get<LabClusterRegistry>().FindLab(DemoUsers.LabCluster)!);
            Assert.True(health.Healthy, health.ToString());
        }
        catch
        {
            await olivia.ScreenshotAsync(new() { Path = "/tmp/restore-run-page-failure.png", FullPage = true });
            await arjun.ScreenshotAsync(new() { Path = "/tmp/restore-run-page-failure-arjun.png", FullPage = true });
            throw;
        }
    }

    private sealed record Drive(int Approvals, List<string> Answered, List<(string What, double Seconds)> Timeline);

    /// <summary>
    /// Until the run ends: arjun approves whatever waits for him; olivia answers each question as preselected (the machines'
    /// question first refused once, to see the refusal and that her choices stay) and confirms the manual step.
    /// </summary>
    private static async Task<Drive> DriveToEndAsync(IPage olivia, IPage arjun)
    {
        var drive = new Drive(0, [], []);
        var approvals = 0;
        var since = Stopwatch.StartNew();
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (DateTime.UtcNow < deadline)
        {
            var status = await olivia.Locator("[data-testid=run-status]").TextContentAsync();
            if (status is "Succeeded" or "Failed" or "Cancelled") break;
            var acted = "";

            var approval = arjun.Locator("[data-testid=approval]").Filter(new() { Has = arjun.GetByRole(AriaRole.Button, new() { Name = "Approve", Exact = true }) });
            if (await approval.CountAsync() > 0)
            {
                var step = await approval.First.GetAttributeAsync("data-step");
                await approval.First.GetByRole(AriaRole.Button, new() { Name = "Approve", Exact = true }).ClickAsync();
                await Assertions.Expect(arjun.Locator($"[data-testid=approval][data-step='{step}']")).ToHaveCountAsync(0, new() { Timeout = Timeout });
                approvals++;
                acted = $"approve {step}";
            }

            var input = olivia.Locator("[data-testid=input-step]");
            if (acted.Length == 0 && await input.CountAsync() > 0)
            {
                var card = input.First;
                var step = (await card.GetAttributeAsync("data-step"))!;
                Assert.Equal(0, await card.Locator("textarea").CountAsync()); // no written reason is asked when the API is down
                if (drive.Answered.Count == 0)
                {
                    // The approver sees the question too, without a form: answering is the operator's.
                    var seen = arjun.Locator($"[data-testid=input-step][data-step='{step}']");
                    await Assertions.Expect(seen).ToContainTextAsync("Waiting for an operator to answer", new() { Timeout = Timeout });
                    await Assertions.Expect(seen.GetByRole(AriaRole.Button, new() { Name = "Submit answer" })).ToHaveCountAsync(0);
                }
                if (step == "recreate-machines/choose") await RefusedOnceAsync(card);
                await card.GetByRole(AriaRole.Button, new() { Name = "Submit answer" }).ClickAsync();
                await Assertions.Expect(olivia.Locator($"[data-testid=input-step][data-step='{step}']")).ToHaveCountAsync(0, new() { Timeout = Timeout });
                drive.Answered.Add(step);
                acted = $"answer {step}";
            }

            var note = olivia.Locator("[data-testid=manual-step] textarea[name=manual-note]");
            if (acted.Length == 0 && await note.CountAsync() > 0)
            {
                var card = olivia.Locator("[data-testid=manual-step]").First;
                var step = await card.GetAttributeAsync("data-step");
                Assert.Equal("storage-caveats", step);
                await note.First.FillAsync(StorageNote);
                await card.GetByRole(AriaRole.Button, new() { Name = "Confirm done" }).ClickAsync();
                await Assertions.Expect(olivia.Locator($"[data-testid=manual-step][data-step='{step}']")).ToHaveCountAsync(0, new() { Timeout = Timeout });
                acted = $"confirm {step}";
            }

            if (acted.Length > 0)
            {
                // How long the run worked until it needed a person (the time to look for).
                drive.Timeline.Add((acted, since.Elapsed.TotalSeconds));
                since.Restart();
            }
            else await Task.Delay(100);
        }
        return drive with { Approvals = approvals };
    }

    /// <summary>Clearing every machine is refused with the server's sentence; the cleared boxes stay cleared; then the preselection is restored.</summary>
    private static async Task RefusedOnceAsync(ILocator card)
    {
        var boxes = card.Locator("input[type=checkbox]");
        var preselected = new List<string>();
        for (var i = 0; i < await boxes.CountAsync(); i++)
            if (await boxes.Nth(i).IsCheckedAsync()) preselected.Add((await boxes.Nth(i).GetAttributeAsync("value"))!);
        Assert.Equal(["master-1", "master-2"], preselected);
        foreach (var value in preselected) await card.Locator($"input[value='{value}']").UncheckAsync();
        await card.GetByRole(AriaRole.Button, new() { Name = "Submit answer" }).ClickAsync();
        await Assertions.Expect(card.Locator("[data-testid=input-error]")).ToHaveTextAsync("Choose at least one option.", new() { Timeout = Timeout });
        await Task.Delay(300); // a few of the page's renders: the operator's choices survive them
        foreach (var value in preselected) await Assertions.Expect(card.Locator($"input[value='{value}']")).Not.ToBeCheckedAsync();
        await card.ScreenshotAsync(new() { Path = "/tmp/restore-input-refused.png" });
        foreach (var value in preselected) await card.Locator($"input[value='{value}']").CheckAsync();
    }

    /// <summary>Picks values in a wizard dropdown (several for a host list, which stays open until Escape).</summary>
    private static async Task PickAsync(IPage page, string parameter, params string[] values)
    {
        await page.Locator($"[data-param={parameter}] .rz-dropdown").ClickAsync();
        foreach (var value in values) await page.GetByRole(AriaRole.Option, new() { Name = value, Exact = true }).ClickAsync();
        if (values.Length > 1) await page.Keyboard.PressAsync("Escape");
    }

    [GeneratedRegex(@"/runs/[0-9a-f-]{36}$")]
    private static partial Regex RunUrl();
}
