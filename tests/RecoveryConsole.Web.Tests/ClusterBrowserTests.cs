using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using RecoveryConsole.Clusters;
using RecoveryConsole.Lab;
using RecoveryConsole.Lab.ApiServer;
using RecoveryConsole.Lab.Clusters;
using RecoveryConsole.Orchestration.Clusters;
using RecoveryConsole.Web.Tests.Support;

namespace RecoveryConsole.Web.Tests;

/// <summary>
/// An operator registers a real cluster in Chromium: hosts at 127.0.0.1 (nothing listens on the SSH port given), a
/// private key pasted, the kubeconfig of a lab API server uploaded. Then test connection, capture and save the
/// inventory, and find the cluster in the list with its age. Secrets never come back to the page.
/// </summary>
[Trait("Category", "Browser")]
public sealed partial class ClusterBrowserTests
{
    private const float Timeout = Browser.Timeout;

    [Fact]
    public async Task Operator_registers_a_cluster_tests_it_captures_its_inventory_and_finds_it_listed_with_its_age()
    {
        await using var console = await TestConsole.StartAsync();
        var apiCluster = new LabCluster(LabClusterCatalog.DemoOpenShift() with { Name = "prod-east" }, new LabOptions { TimeScale = 0 }, TimeProvider.System);
        await using var api = await LabApiServer.StartAsync(apiCluster);
        var kubeconfigPath = Path.Combine(console.DataDirectory, "prod-east.kubeconfig");
        await api.WriteKubeconfigAsync(kubeconfigPath);
        var clientKeyData = ClientKeyData().Match(await File.ReadAllTextAsync(kubeconfigPath)).Groups[1].Value;
        Assert.True(clientKeyData.Length > 100);
        var privateKey = NewPrivateKey();
        var privateKeyLine = privateKey.Split('\n')[3];
        var closedPort = FreePort();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browser.LaunchAsync(playwright);
        // A real operator account: lab demo accounts may not register real clusters.
        var olivia = await Browser.SignInAsync(browser, console, await RealUsers.CreateOperatorAsync(console));
        try
        {
            await olivia.Locator(".rc-nav").GetByRole(AriaRole.Link, new() { Name = "Clusters" }).ClickAsync();
            await Assertions.Expect(olivia.Locator("[data-cluster=lab-ocp4]")).ToContainTextAsync("SIMULATED", new() { Timeout = Timeout });
            await olivia.GetByRole(AriaRole.Button, new() { Name = "Register a cluster" }).ClickAsync();
            await Assertions.Expect(olivia).ToHaveURLAsync(new Regex("/clusters/new$"), new() { Timeout = Timeout });

            // Saving with problems first: they are shown at their fields and nothing is stored.
            await olivia.Locator("input[name=cluster-name]").FillAsync("Prod East");
            await olivia.GetByRole(AriaRole.Button, new() { Name = "Register cluster" }).ClickAsync();
            await Assertions.Expect(olivia.Locator("[data-testid=save-problems]")).ToContainTextAsync("Nothing was saved", new() { Timeout = Timeout });
            await Assertions.Expect(olivia.Locator("[data-testid=registration]")).ToContainTextAsync("'Prod East' is not a cluster name", new() { Timeout = Timeout });
            await Assertions.Expect(olivia.Locator("[data-testid=registration]")).ToContainTextAsync("master-0 needs an address", new() { Timeout = Timeout });
            await Assertions.Expect(olivia.Locator("[data-testid=registration]")).ToContainTextAsync("Give at least an SSH key or a kubeconfig", new() { Timeout = Timeout });

            await olivia.Locator("input[name=cluster-name]").FillAsync("prod-east");
            await olivia.Locator("input[name=cluster-version]").FillAsync("4.16.12");
            for (var i = 0; i < 3; i++) await olivia.Locator($"input[name=host-address-{i}]").FillAsync("127.0.0.1");
            await olivia.GetByRole(AriaRole.Button, new() { Name = "Add host" }).ClickAsync();
            await Assertions.Expect(olivia.Locator("input[name=host-name-3]")).ToHaveValueAsync("worker-0", new() { Timeout = Timeout });
            await olivia.GetByRole(AriaRole.Button, new() { Name = "Remove worker-0" }).ClickAsync();
            await Assertions.Expect(olivia.Locator("input[name=host-name-3]")).ToHaveCountAsync(0, new() { Timeout = Timeout });
            await olivia.Locator("input[name=ssh-port]").FillAsync(closedPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await olivia.Locator("textarea[name=private-key]").FillAsync(privateKey);
            await olivia.Locator("input[name=kubeconfig-cluster-file]").SetInputFilesAsync(kubeconfigPath);
            var preview = olivia.Locator("[data-testid=kubeconfig-preview-cluster]");
            await Assertions.Expect(preview).ToContainTextAsync(api.Address.GetLeftPart(UriPartial.Authority), new() { Timeout = Timeout });
            await Assertions.Expect(preview).ToContainTextAsync("system:admin", new() { Timeout = Timeout });
            await olivia.GetByRole(AriaRole.Button, new() { Name = "Register cluster" }).ClickAsync();

            await Assertions.Expect(olivia).ToHaveURLAsync(new Regex("/clusters/prod-east$"), new() { Timeout = Timeout });
            await Assertions.Expect(olivia.Locator("[data-testid=saved-message]")).ToContainTextAsync("prod-east is registered", new() { Timeout = Timeout });
            await Assertions.Expect(olivia.Locator("[data-testid=stored-key]")).ToContainTextAsync("ED25519", new() { Timeout = Timeout });
            await Assertions.Expect(olivia.Locator("[data-testid=stored-key]")).ToContainTextAsync("SHA256:", new() { Timeout = Timeout });
            await Assertions.Expect(olivia.Locator("[data-testid=stored-kubeconfig-cluster]")).ToContainTextAsync("system:admin", new() { Timeout = Timeout });
            await Assertions.Expect(olivia.Locator(".rc-topbar")).ToContainTextAsync("cluster prod-east", new() { Timeout = Timeout });
            Assert.Equal("", await olivia.Locator("textarea[name=private-key]").InputValueAsync());
            await AssertNoSecretAsync(olivia, clientKeyData, privateKeyLine);

            // Test connection: nothing listens on the SSH port (one sentence per host), the API passes all three checks.
            await olivia.GetByRole(AriaRole.Button, new() { Name = "Test connection" }).ClickAsync();
            var report = olivia.Locator("[data-testid=connection-report]");
            await Assertions.Expect(report).ToBeVisibleAsync(new() { Timeout = Timeout });
            foreach (var host in new[] { "master-0", "master-1", "master-2" })
            {
                var row = report.Locator($"tr[data-host={host}]");
                await Assertions.Expect(row.Locator("[data-check=reachable]")).ToContainTextAsync($"127.0.0.1:{closedPort} refused the connection", new() { Timeout = Timeout });
                await Assertions.Expect(row.Locator("[data-check=login]")).ToContainTextAsync("Not checked", new() { Timeout = Timeout });
            }
            var apiRow = report.Locator("tr[data-api-role=cluster]");
            await Assertions.Expect(apiRow.Locator("[data-check=api-reachable]")).ToContainTextAsync("answered", new() { Timeout = Timeout });
            await Assertions.Expect(apiRow.Locator("[data-check=api-authenticated]")).ToContainTextAsync("Authenticated as system:admin", new() { Timeout = Timeout });
            await Assertions.Expect(apiRow.Locator("[data-check=api-admin]")).ToContainTextAsync("system:admin is cluster-admin", new() { Timeout = Timeout });
            await Assertions.Expect(report.Locator("[data-testid=connection-summary]")).ToContainTextAsync("3 of 3 hosts have a problem", new() { Timeout = Timeout });

            // Capture the inventory over the stored kubeconfig, look at the preview, save it.
            await olivia.GetByRole(AriaRole.Button, new() { Name = "Capture inventory" }).ClickAsync();
            var capture = olivia.Locator("[data-testid=capture-preview]");
            await Assertions.Expect(capture.Locator("tr[data-captured-host=master-0]")).ToContainTextAsync("192.0.2.10", new() { Timeout = Timeout });
            await Assertions.Expect(capture.Locator("tr[data-captured-host=master-0]")).ToContainTextAsync("registered address 127.0.0.1 differs", new() { Timeout = Timeout });
            await Assertions.Expect(capture.Locator("tr[data-captured-host=worker-1]")).ToContainTextAsync("new", new() { Timeout = Timeout });
            await Assertions.Expect(capture.Locator("[data-testid=captured-facts] tr[data-fact=etcdMembers]")).ToContainTextAsync("master-0,master-1,master-2", new() { Timeout = Timeout });
            await Assertions.Expect(capture.Locator("[data-testid=capture-gaps]")).ToContainTextAsync("infrastructures/cluster", new() { Timeout = Timeout });
            await olivia.ScreenshotAsync(new() { Path = "/tmp/cluster-capture.png", FullPage = true });
            await olivia.GetByRole(AriaRole.Button, new() { Name = "Save inventory" }).ClickAsync();
            await Assertions.Expect(olivia.Locator("[data-testid=inventory-message]")).ToContainTextAsync("Inventory saved.", new() { Timeout = Timeout });
            await Assertions.Expect(olivia.Locator("[data-testid=inventory-age]")).ToContainTextAsync("captured from the API by owen just now", new() { Timeout = Timeout });
            await Assertions.Expect(olivia.Locator("[data-testid=facts] tr[data-fact=platform]")).ToContainTextAsync("IPI", new() { Timeout = Timeout });
            await Assertions.Expect(olivia.Locator("input[name=host-address-4]")).ToHaveValueAsync("192.0.2.21", new() { Timeout = Timeout });

            // A fact the API could not tell, entered by hand.
            await olivia.GetByRole(AriaRole.Button, new() { Name = "Correct facts..." }).ClickAsync();
            var editor = olivia.Locator("[data-testid=facts-editor]");
            await Assertions.Expect(editor.Locator("tr[data-fact-row=platform]")).ToHaveCountAsync(1, new() { Timeout = Timeout });
            var rows = await editor.Locator("tbody tr").CountAsync();
            await olivia.GetByRole(AriaRole.Button, new() { Name = "Add fact" }).ClickAsync();
            await editor.Locator($"input[name=fact-key-{rows}]").FillAsync("keepalived");
            await editor.Locator($"input[name=fact-value-{rows}]").FillAsync("true");
            await olivia.GetByRole(AriaRole.Button, new() { Name = "Save corrections" }).ClickAsync();
            await Assertions.Expect(olivia.Locator("[data-testid=facts] tr[data-fact=keepalived]")).ToContainTextAsync("true", new() { Timeout = Timeout });
            await Assertions.Expect(olivia.Locator("[data-testid=inventory-age]")).ToContainTextAsync("corrected by owen", new() { Timeout = Timeout });
            await AssertNoSecretAsync(olivia, clientKeyData, privateKeyLine);
            await olivia.ScreenshotAsync(new() { Path = "/tmp/cluster-page.png", FullPage = true });

            // The list: REAL, its inventory's age; an inventory older than a week is highlighted.
            var stale = new ClusterDefinition
            {
                Name = "old-dc", Version = "4.14.3", Hosts = [new("master-0", "10.9.0.10", ["control-plane"])],
                InventoryCapturedAt = DateTimeOffset.UtcNow.AddDays(-12), InventorySource = "captured from the API by arjun",
            };
            await console.Get<IClusterDefinitions>().SaveAsync(stale, CancellationToken.None);
            await console.Get<ConsoleClusterRegistry>().RefreshAsync(CancellationToken.None);
            await olivia.Locator(".rc-nav").GetByRole(AriaRole.Link, new() { Name = "Clusters" }).ClickAsync();
            var listed = olivia.Locator("[data-cluster=prod-east]");
            await Assertions.Expect(listed).ToContainTextAsync("REAL", new() { Timeout = Timeout });
            await Assertions.Expect(listed).ToContainTextAsync("4.16.12", new() { Timeout = Timeout });
            await Assertions.Expect(listed.Locator("[data-testid=inventory-age]")).ToContainTextAsync("captured from the API by owen just now", new() { Timeout = Timeout });
            await Assertions.Expect(listed.Locator(".rc-stale")).ToHaveCountAsync(0, new() { Timeout = Timeout });
            await Assertions.Expect(olivia.Locator("[data-cluster=old-dc] .rc-stale")).ToContainTextAsync("captured from the API by arjun 12 days ago", new() { Timeout = Timeout });
            await Assertions.Expect(olivia.Locator("[data-cluster=lab-ocp4]")).ToContainTextAsync("SIMULATED", new() { Timeout = Timeout });
            await olivia.ScreenshotAsync(new() { Path = "/tmp/clusters-list.png", FullPage = true });

            // The start wizard shows the chosen real cluster's inventory age.
            await olivia.GotoAsync("/procedures/sample-drill/start");
            await olivia.Locator("[data-param=cluster] .rz-dropdown").ClickAsync();
            await olivia.GetByRole(AriaRole.Option, new() { Name = "prod-east", Exact = true }).ClickAsync();
            await Assertions.Expect(olivia.Locator("[data-testid=wizard-inventory-age]")).ToContainTextAsync("captured from the API by owen just now", new() { Timeout = Timeout });
            await olivia.Locator("[data-param=cluster] .rz-dropdown").ClickAsync();
            await olivia.GetByRole(AriaRole.Option, new() { Name = "old-dc", Exact = true }).ClickAsync();
            await Assertions.Expect(olivia.Locator("[data-testid=wizard-inventory-age]")).ToHaveClassAsync(new Regex("rc-stale"), new() { Timeout = Timeout });

            // A viewer reads the registration but cannot change it, and sees no secret either.
            var vera = await Browser.SignInAsync(browser, console, DemoUsers.Vera);
            await vera.GotoAsync("/clusters/prod-east");
            await Assertions.Expect(vera.Locator("[data-testid=stored-key]")).ToContainTextAsync("SHA256:", new() { Timeout = Timeout });
            await Assertions.Expect(vera.GetByText("changing it needs the operator or admin role")).ToBeVisibleAsync(new() { Timeout = Timeout });
            await Assertions.Expect(vera.GetByRole(AriaRole.Button, new() { Name = "Save changes" })).ToHaveCountAsync(0);
            await Assertions.Expect(vera.GetByRole(AriaRole.Button, new() { Name = "Remove cluster..." })).ToHaveCountAsync(0);
            await Assertions.Expect(vera.Locator(".rc-main textarea")).ToHaveCountAsync(0);
            await AssertNoSecretAsync(vera, clientKeyData, privateKeyLine);

            // Remove, after the confirmation.
            await olivia.GotoAsync("/clusters/prod-east");
            await olivia.GetByRole(AriaRole.Button, new() { Name = "Remove cluster..." }).ClickAsync();
            var dialog = olivia.GetByRole(AriaRole.Dialog);
            await Assertions.Expect(dialog).ToContainTextAsync("Nothing on the cluster changes", new() { Timeout = Timeout });
            await Assertions.Expect(dialog.GetByRole(AriaRole.Button, new() { Name = "Remove cluster" })).ToBeDisabledAsync();
            await dialog.Locator("input[name=acknowledge]").CheckAsync();
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Remove cluster" }).ClickAsync();
            await Assertions.Expect(olivia).ToHaveURLAsync(new Regex("/clusters$"), new() { Timeout = Timeout });
            await Assertions.Expect(olivia.Locator("[data-cluster=prod-east]")).ToHaveCountAsync(0, new() { Timeout = Timeout });
        }
        catch
        {
            await olivia.ScreenshotAsync(new() { Path = "/tmp/cluster-page-failure.png", FullPage = true });
            throw;
        }
    }

    [Fact]
    public async Task A_lab_cluster_reads_as_simulated_and_cannot_be_edited()
    {
        await using var console = await TestConsole.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browser.LaunchAsync(playwright);
        var olivia = await Browser.SignInAsync(browser, console, DemoUsers.Olivia);

        await olivia.GotoAsync($"/clusters/{DemoUsers.LabCluster}");

        await Assertions.Expect(olivia.Locator("[data-testid=lab-note]")).ToContainTextAsync("simulated by the console's lab", new() { Timeout = Timeout });
        await Assertions.Expect(olivia.Locator(".rc-topbar .rc-simulated")).ToBeVisibleAsync(new() { Timeout = Timeout });
        await Assertions.Expect(olivia.Locator("[data-testid=hosts]")).ToContainTextAsync("192.0.2.10", new() { Timeout = Timeout });
        await Assertions.Expect(olivia.Locator("[data-testid=facts] tr[data-fact=keepalived]")).ToContainTextAsync("true", new() { Timeout = Timeout });
        await Assertions.Expect(olivia.Locator(".rc-main input, .rc-main textarea")).ToHaveCountAsync(0);
        await Assertions.Expect(olivia.GetByRole(AriaRole.Button, new() { Name = "Save changes" })).ToHaveCountAsync(0);
    }

    /// <summary>Neither the kubeconfig's key nor the private key is anywhere in the page: not in the DOM, not in a form field.</summary>
    private static async Task AssertNoSecretAsync(IPage page, params string[] secrets)
    {
        var html = await page.ContentAsync();
        var fields = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('input, textarea')].map(e => e.value)");
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, html, StringComparison.Ordinal);
            Assert.DoesNotContain(fields, f => f.Contains(secret, StringComparison.Ordinal));
        }
    }


    private static string NewPrivateKey()
    {
        var folder = Directory.CreateTempSubdirectory("rc-key-").FullName;
        try
        {
            var path = Path.Combine(folder, "id");
            var info = new ProcessStartInfo("ssh-keygen") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { "-q", "-t", "ed25519", "-N", "", "-C", "browser-test", "-f", path }) info.ArgumentList.Add(a);
            using var p = Process.Start(info)!;
            p.WaitForExit();
            Assert.Equal(0, p.ExitCode);
            return File.ReadAllText(path);
        }
        finally { Directory.Delete(folder, true); }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex("client-key-data: \"([^\"]+)\"")]
    private static partial Regex ClientKeyData();
}
