using System.Text.RegularExpressions;
using Microsoft.Playwright;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Web.Hubs;
using RecoveryConsole.Web.Tests.Support;

namespace RecoveryConsole.Web.Tests.Runs;

/// <summary>
/// A procedure with cluster roles through the real console: started over the hub (a real SignalR client) with a cluster
/// per role, and from the wizard, whose pickers offer only clusters of each role's product; the run page lists role → cluster.
/// </summary>
[Trait("Category", "Security")]
public sealed partial class MultiClusterRunWebTests
{
    private const string Procedure = "copy-parent";
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(3);
    private static string Folder => Path.Combine(AppContext.BaseDirectory, "multi-cluster-procedures");

    [Fact]
    public async Task Started_over_the_hub_each_role_gets_its_cluster_and_viewers_see_which()
    {
        await using var console = await TestConsole.StartAsync(proceduresFolder: Folder);
        using var oliviaHttp = await ConsoleClient.SignInAsync(console, DemoUsers.Olivia.Name, DemoUsers.Olivia.Password);
        using var arjunHttp = await ConsoleClient.SignInAsync(console, DemoUsers.Arjun.Name, DemoUsers.Arjun.Password);
        await using var olivia = await HubClient.ConnectAsync(console.BaseAddress, oliviaHttp.Cookies);
        await using var arjun = await HubClient.ConnectAsync(console.BaseAddress, arjunHttp.Cookies);

        var same = await Assert.ThrowsAsync<HubError>(() => olivia.InvokeAsync<Guid>("StartOn", Procedure, "lab-mgmt-a",
            new Dictionary<string, string> { ["destination"] = "lab-mgmt-a" }, new Dictionary<string, string?>()));
        Assert.Contains("must be different clusters; both are lab-mgmt-a", same.Message);

        var runId = await olivia.InvokeAsync<Guid>("StartOn", Procedure, "lab-mgmt-a",
            new Dictionary<string, string> { ["destination"] = "lab-mgmt-b" }, new Dictionary<string, string?>());
        using var cts = new CancellationTokenSource(Generous);
        var pending = await WaitForAsync(arjun, runId, v => v.PendingApproval, cts.Token);
        await arjun.InvokeAsync("Approve", runId, pending.StepPath, "destination checked");

        var lines = new List<LineDto>();
        RunView? last = null;
        await foreach (var e in arjun.StreamAsync<RunStreamEvent>("Follow", [runId, 0L], cts.Token))
        {
            if (e.Lines is { } batch) lines.AddRange(batch);
            if (e.Run is { } view) last = view;
            if (last?.Status.IsFinal() == true && lines.Count >= last.TranscriptLineCount && last.TranscriptLineCount > 0) break;
        }
        Assert.Equal(RunStatus.Succeeded, last!.Status);
        Assert.Equal([KeyValuePair.Create("source", "lab-mgmt-a"), KeyValuePair.Create("destination", "lab-mgmt-b")], last.ClusterRoles);
        var texts = lines.Select(l => l.Text).ToList();
        Assert.Contains("[lab-mgmt-a] → GET /apis/hypershift.openshift.io/v1beta1/namespaces/clusters/hostedclusters/hosted-1", texts);
        Assert.Contains("[lab-mgmt-b] → POST /api/v1/namespaces/hypershift/configmaps", texts);
    }

    [Fact]
    [Trait("Category", "Browser")]
    public async Task The_wizard_asks_for_each_role_and_the_run_page_lists_them()
    {
        await using var console = await TestConsole.StartAsync(proceduresFolder: Folder);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browser.LaunchAsync(playwright);
        var olivia = await Browser.SignInAsync(browser, console, DemoUsers.Olivia);

        await olivia.GotoAsync($"/procedures/{Procedure}/start");
        await olivia.Locator("[data-param=cluster] .rz-dropdown").ClickAsync();
        // Only management clusters are offered for a management role: no OpenShift or hosted cluster.
        var options = await olivia.GetByRole(AriaRole.Option).Locator("visible=true").AllInnerTextsAsync();
        Assert.Equal(["lab-mgmt-a", "lab-mgmt-b"], options.Select(o => o.Trim()).Order().ToList());
        await olivia.GetByRole(AriaRole.Option, new() { Name = "lab-mgmt-a", Exact = true }).ClickAsync();

        // Same cluster twice: the plan is refused in words.
        await PickAsync(olivia, "cluster-destination", "lab-mgmt-a");
        await olivia.GetByRole(AriaRole.Button, new() { Name = "Review plan" }).ClickAsync();
        await Assertions.Expect(olivia.GetByText("must be different clusters")).ToBeVisibleAsync(new() { Timeout = Browser.Timeout });

        await PickAsync(olivia, "cluster-destination", "lab-mgmt-b");
        await olivia.GetByRole(AriaRole.Button, new() { Name = "Review plan" }).ClickAsync();
        await Assertions.Expect(olivia.Locator("[data-testid=plan]")).ToContainTextAsync("DESTRUCTIVE", new() { Timeout = Browser.Timeout });
        await Assertions.Expect(olivia.Locator("[data-testid=plan]")).ToContainTextAsync("[destination] POST /api/v1/namespaces/hypershift/configmaps");
        await Assertions.Expect(olivia.Locator("[data-testid=plan]")).ToContainTextAsync("[source] GET /apis/hypershift.openshift.io/v1beta1/namespaces/clusters/hostedclusters/hosted-1");
        await olivia.GetByRole(AriaRole.Button, new() { Name = "Start drill" }).ClickAsync();
        await Assertions.Expect(olivia).ToHaveURLAsync(RunUrl(), new() { Timeout = Browser.Timeout });

        var header = olivia.Locator("[data-testid=run-clusters]");
        await Assertions.Expect(header).ToContainTextAsync("Source management cluster → lab-mgmt-a", new() { Timeout = Browser.Timeout });
        await Assertions.Expect(header).ToContainTextAsync("Destination management cluster → lab-mgmt-b");
        var runId = Guid.Parse(olivia.Url[^36..]);
        var run = await console.Get<IRunRepository>().GetAsync(runId, CancellationToken.None);
        Assert.Equal("lab-mgmt-b", run!.ClusterRoles.Single(r => r.Key == "destination").Value);
        await console.Get<Orchestration.Engine.RunService>().CancelAsync(runId, new("olivia", ["operator"]), "test over", CancellationToken.None);
    }

    private static async Task PickAsync(IPage page, string parameter, string value)
    {
        // Radzen keeps every dropdown's list in the page: wait until the last one closed, then pick from the one just opened.
        await Assertions.Expect(page.GetByRole(AriaRole.Option).Locator("visible=true")).ToHaveCountAsync(0, new() { Timeout = Browser.Timeout });
        await page.Locator($"[data-param={parameter}] .rz-dropdown").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = value, Exact = true }).Locator("visible=true").ClickAsync();
    }

    private static async Task<T> WaitForAsync<T>(HubClient client, Guid runId, Func<RunView, T?> pick, CancellationToken cancellationToken) where T : class
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await foreach (var e in client.StreamAsync<RunStreamEvent>("Follow", [runId, 0L], linked.Token))
            if (e.Run is { } view && pick(view) is { } found)
            {
                await linked.CancelAsync();
                return found;
            }
        throw new InvalidOperationException("The stream ended before the condition held.");
    }

    [GeneratedRegex(@"/runs/[0-9a-f-]{36}$")]
    private static partial Regex RunUrl();
}
