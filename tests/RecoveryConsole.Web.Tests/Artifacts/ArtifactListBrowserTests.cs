using System.Text;
using Microsoft.Playwright;
using RecoveryConsole.Orchestration.Artifacts;
using RecoveryConsole.Web.Artifacts;
using RecoveryConsole.Web.Tests.Support;

namespace RecoveryConsole.Web.Tests.Artifacts;

/// <summary>The run page lists what the run saved; only an approver gets the download link.</summary>
[Trait("Category", "Security")]
[Trait("Category", "Browser")]
public sealed class ArtifactListBrowserTests
{
    [Fact]
    public async Task The_run_page_lists_the_artifacts_with_a_download_link_for_approvers_only()
    {
        await using var console = await TestConsole.StartAsync();
        var runId = await RunDriver.StartSampleAsync(console);
        await RunDriver.CompleteAsync(console, runId);
        var saved = await console.Get<IArtifactStore>().SaveAsync(runId, "snapshot.db", new MemoryStream(Encoding.UTF8.GetBytes("snapshot\n")),
            "clusters-hosted-1/etcd-0:/var/lib/snapshot.db", new Dictionary<string, string>(), default);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browser.LaunchAsync(playwright);
        var arjun = await Browser.SignInAsync(browser, console, DemoUsers.Arjun);
        await arjun.GotoAsync($"/runs/{runId}");
        var row = arjun.Locator("[data-artifact='snapshot.db']");
        await Assertions.Expect(row).ToContainTextAsync(saved.Sha256, new() { Timeout = Browser.Timeout });
        await Assertions.Expect(row).ToContainTextAsync("clusters-hosted-1/etcd-0:/var/lib/snapshot.db");
        await Assertions.Expect(row.Locator($"a[href='{ArtifactEndpoints.Link(runId, "snapshot.db")}']")).ToHaveCountAsync(1);

        var olivia = await Browser.SignInAsync(browser, console, DemoUsers.Olivia);
        await olivia.GotoAsync($"/runs/{runId}");
        var seen = olivia.Locator("[data-artifact='snapshot.db']");
        await Assertions.Expect(seen).ToContainTextAsync(saved.Sha256, new() { Timeout = Browser.Timeout });
        await Assertions.Expect(seen.Locator("a")).ToHaveCountAsync(0);
    }
}
