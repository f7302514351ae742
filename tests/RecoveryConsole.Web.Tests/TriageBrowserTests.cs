using System.Text.RegularExpressions;
using Microsoft.Playwright;
using RecoveryConsole.Clusters.Drills;
using RecoveryConsole.Web.Tests.Support;

namespace RecoveryConsole.Web.Tests;

/// <summary>"What happened?" on a staged disaster, the links into the wizard, and the wizard refusing a procedure that does not apply.</summary>
[Trait("Category", "Browser")]
public sealed class TriageBrowserTests
{
    private const float Timeout = Browser.Timeout;

    [Fact]
    public async Task A_lost_majority_is_advised_a_restore_and_the_wizard_refuses_it_on_a_release_it_does_not_cover()
    {
        var folder = Path.Combine(Path.GetTempPath(), "rc-triage-procedures-" + Guid.NewGuid().ToString("N"));
        WriteProcedures(folder);
        await using var console = await TestConsole.StartAsync(proceduresFolder: folder);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browser.LaunchAsync(playwright);
        await console.Get<LabDrills>().StageAsync(DemoUsers.LabCluster, "ocp4-control-plane-majority-lost", RunDriver.Olivia, CancellationToken.None);
        var page = await Browser.SignInAsync(browser, console, DemoUsers.Olivia);
        try
        {
            // From the nav menu; the console checks SSH and the API itself, nobody answers a question.
            await page.Locator(".rc-nav").GetByRole(AriaRole.Link, new() { Name = "What happened?" }).ClickAsync();
            await page.Locator("[data-param=cluster] .rz-dropdown").ClickAsync();
            await page.GetByRole(AriaRole.Option, new() { Name = DemoUsers.LabCluster, Exact = true }).ClickAsync();
            var hosts = page.Locator("[data-testid=control-plane-hosts]");
            await Assertions.Expect(hosts.Locator("[data-host=master-0]")).ToContainTextAsync("reachable", new() { Timeout = Timeout });
            await Assertions.Expect(hosts.Locator("[data-host=master-1]")).ToContainTextAsync("unreachable: ssh: connect to host", new() { Timeout = Timeout });
            await Assertions.Expect(page.Locator("[data-question=api-serves-data]")).ToContainTextAsync("cannot read data", new() { Timeout = Timeout });

            var advice = page.Locator("[data-testid=recommendation]");
            await Assertions.Expect(advice).ToHaveAttributeAsync("data-outcome", "RunProcedure", new() { Timeout = Timeout });
            await Assertions.Expect(advice).ToContainTextAsync("Restore the cluster to a previous state");
            await Assertions.Expect(advice).ToContainTextAsync("same z-stream");
            await page.ScreenshotAsync(new() { Path = "/tmp/what-happened.png", FullPage = true });

            // The operator knows more than the probe: with etcd quorum and two hosts up, it is a member replacement instead.
            await page.Locator("[data-question=healthy-control-plane]").GetByRole(AriaRole.Button, new() { Name = "2", Exact = true }).ClickAsync();
            await page.Locator("[data-question=etcd-quorum]").GetByRole(AriaRole.Button, new() { Name = "Yes", Exact = true }).ClickAsync();
            await Assertions.Expect(advice).ToHaveAttributeAsync("data-outcome", "NotARestore", new() { Timeout = Timeout });
            await Assertions.Expect(advice).ToContainTextAsync("Replace the single unhealthy etcd member");
            await page.Locator("[data-question=etcd-quorum]").GetByRole(AriaRole.Button, new() { Name = "Don't know" }).ClickAsync();
            await page.Locator("[data-question=healthy-control-plane]").GetByRole(AriaRole.Button, new() { Name = "Don't know" }).ClickAsync();
            await Assertions.Expect(advice).ToHaveAttributeAsync("data-outcome", "RunProcedure", new() { Timeout = Timeout });

            // The link opens the wizard with the cluster and the reachable recovery host chosen.
            await advice.Locator("[data-procedure-link=ocp4-restore-previous-state]").ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/procedures/ocp4-restore-previous-state/start\\?cluster=lab-ocp4&recoveryHost=master-0$"), new() { Timeout = Timeout });
            await Assertions.Expect(page.Locator("[data-param=cluster] .rz-dropdown")).ToContainTextAsync(DemoUsers.LabCluster, new() { Timeout = Timeout });
            await Assertions.Expect(page.Locator("[data-param=recoveryHost] .rz-dropdown")).ToContainTextAsync("master-0", new() { Timeout = Timeout });
            var choices = page.Locator("[data-param=recoveryHost] [data-testid=host-choices]");
            await Assertions.Expect(choices.Locator("[data-host=master-0]")).ToContainTextAsync("control-plane", new() { Timeout = Timeout });
            await Assertions.Expect(choices.Locator("[data-host=master-2]")).ToContainTextAsync("unreachable", new() { Timeout = Timeout });
            // Next to each choice: its host-key state and when it last answered a run (no run has touched this lab yet).
            await Assertions.Expect(choices.Locator("[data-host=master-0] [data-testid=host-key]")).ToHaveTextAsync("simulated (no SSH key)", new() { Timeout = Timeout });
            await Assertions.Expect(choices.Locator("[data-host=master-0] [data-testid=last-seen]")).ToHaveTextAsync("never answered a run's command");
            await Assertions.Expect(page.Locator("[data-testid=wizard-not-applicable]")).ToHaveCountAsync(0);

            // The same procedure on the 4.3 lab cluster: refused, with the reason, and no plan can be made.
            await page.Locator("[data-param=cluster] .rz-dropdown").ClickAsync();
            await page.GetByRole(AriaRole.Option, new() { Name = "lab-ocp42", Exact = true }).ClickAsync();
            var refusal = page.Locator("[data-testid=wizard-not-applicable]");
            await Assertions.Expect(refusal).ToContainTextAsync("This procedure is for OpenShift 4.12 and later; lab-ocp42 runs 4.3.40.", new() { Timeout = Timeout });
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Review plan" })).ToBeDisabledAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Start drill" })).ToBeDisabledAsync();
            await page.ScreenshotAsync(new() { Path = "/tmp/wizard-not-applicable.png", FullPage = true });

            // The drills page links each scenario to its procedure with the scenario's cluster and recovery host.
            await page.GotoAsync("/lab");
            var majority = page.Locator("[data-cluster=lab-ocp4] [data-scenario=ocp4-control-plane-majority-lost]");
            await Assertions.Expect(majority.GetByRole(AriaRole.Link, new() { Name = "Run the procedure" }))
                .ToHaveAttributeAsync("href", "/procedures/ocp4-restore-previous-state/start?cluster=lab-ocp4&recoveryHost=master-0", new() { Timeout = Timeout });
            await Assertions.Expect(page.Locator("[data-scenario=ocp4-expired-control-plane-certificates] [data-procedure-link=ocp4-expired-certificates]"))
                .ToHaveAttributeAsync("href", "/procedures/ocp4-expired-certificates/start?cluster=lab-ocp4");
            await Assertions.Expect(page.Locator("[data-scenario=ocp42-lost-masters] [data-testid=no-procedure]")).ToHaveTextAsync("No procedure file yet.");
        }
        catch
        {
            await page.ScreenshotAsync(new() { Path = "/tmp/triage-failure.png", FullPage = true });
            throw;
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    /// <summary>Small stand-ins for the real procedure files, with their ids, sources and applies.</summary>
    private static void WriteProcedures(string folder)
    {
        Directory.CreateDirectory(folder);
        foreach (var (id, section, parameters) in new[]
        {
            ("ocp4-etcd-backup", "5.3.2.2 step 1", ""),
            ("ocp4-restore-previous-state", "5.3.2.2", "parameters:\n  - { name: recoveryHost, type: host, from: controlPlaneHosts, label: Recovery host }\n"),
            ("ocp4-expired-certificates", "5.3.3", ""),
        })
        {
            File.WriteAllText(Path.Combine(folder, id + ".yaml"), $$"""
                id: {{id}}
                title: "Test {{id}}"
                source: { document: 000_fa5c83705aa298d9.txt, section: "{{section}}" }
                applies: { product: openshift, versions: ">=4.12" }
                {{parameters}}steps:
                  - id: check-api
                    title: Check that the API answers
                    section: "{{section}}"
                    api: { method: GET, path: /version }
                """);
        }
    }
}
