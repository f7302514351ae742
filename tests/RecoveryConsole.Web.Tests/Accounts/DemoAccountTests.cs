using System.Net;
using Microsoft.Extensions.DependencyInjection;
using RecoveryConsole.Clusters;
using RecoveryConsole.Orchestration.Audit;
using RecoveryConsole.Orchestration.Clusters;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Web.Accounts;
using RecoveryConsole.Web.Tests.Support;

namespace RecoveryConsole.Web.Tests.Accounts;

/// <summary>Demo accounts (passwords on the login page) live only while the lab is on and never act on a real cluster.</summary>
[Trait("Category", "Security")]
public sealed class DemoAccountTests
{
    [Fact]
    public async Task Turning_the_lab_off_disables_the_demo_accounts_and_their_sessions_and_turning_it_on_enables_them()
    {
        var data = TestConsole.NewDataDirectory();
        try
        {
            string copied;
            await using (var lab = await TestConsole.StartAsync(dataDirectory: data))
            {
                using var olivia = await ConsoleClient.SignInAsync(lab, DemoUsers.Olivia.Name, DemoUsers.Olivia.Password);
                copied = olivia.CookieHeader;
            }

            await using (var real = await TestConsole.StartAsync(lab: false, dataDirectory: data))
            {
                using var client = new ConsoleClient(real.BaseAddress);
                var refused = await client.PostLoginAsync(DemoUsers.Olivia.Name, DemoUsers.Olivia.Password);
                Assert.Contains(Uri.EscapeDataString(AccountEndpoints.SignInRefused), refused.Headers.Location!.OriginalString);

                // The session opened while the lab was on ends too (same data-protection keys, new security stamp).
                using var replay = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = real.BaseAddress };
                var request = new HttpRequestMessage(HttpMethod.Get, "/runs");
                request.Headers.Add("Cookie", copied);
                var page = await replay.SendAsync(request);
                Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
                Assert.StartsWith("/login", page.Headers.Location!.AbsolutePath);

                var audit = await real.Get<IAuditLog>().ListAsync(null, CancellationToken.None);
                Assert.Equal(["arjun", "olivia", "sam", "vera"],
                    audit.Where(e => e.Kind == AuditKinds.AccountDisabled).Select(e => e.Detail.Split(':')[0]).Order());
                Assert.Contains(audit, e => e.Kind == AuditKinds.AccountLockedOut && e.Actor == "olivia" && e.Detail.StartsWith("sign-in refused: the account is disabled", StringComparison.Ordinal));
            }

            await using var labAgain = await TestConsole.StartAsync(dataDirectory: data);
            using var back = await ConsoleClient.SignInAsync(labAgain, DemoUsers.Olivia.Name, DemoUsers.Olivia.Password);
            Assert.Equal(HttpStatusCode.OK, (await back.Http.GetAsync("/runs")).StatusCode);
        }
        finally { TestConsole.DeleteData(data); }
    }

    [Fact]
    public async Task A_signed_in_demo_operator_is_refused_on_a_registered_real_cluster()
    {
        await using var console = await TestConsole.StartAsync();
        await console.Get<IClusterDefinitions>().SaveAsync(new ClusterDefinition
        {
            Name = "prod-east",
            Version = "4.16.3",
            Hosts = [new HostInfo("master-0", "127.0.0.1", [HostRoles.ControlPlane])],
        }, CancellationToken.None);
        await console.Get<ConsoleClusterRegistry>().RefreshAsync(CancellationToken.None);
        Assert.False(console.Get<IClusterRegistry>().Find("prod-east")!.Info.IsSimulated);

        using var oliviaHttp = await ConsoleClient.SignInAsync(console, DemoUsers.Olivia.Name, DemoUsers.Olivia.Password);
        await using var olivia = await HubClient.ConnectAsync(console.BaseAddress, oliviaHttp.Cookies);

        var refused = await Assert.ThrowsAsync<HubError>(() => olivia.InvokeAsync("Start", DemoUsers.SampleProcedure, "prod-east", DemoUsers.SampleParameters));
        Assert.Contains("olivia is a lab demo account and may not start a run on prod-east, a real cluster", refused.Message);
        Assert.Empty(await console.Get<Orchestration.Runs.IRunRepository>().ListAsync(new(), CancellationToken.None));

        // The same account still drills on the lab.
        var runId = await olivia.InvokeAsync<Guid>("Start", DemoUsers.SampleProcedure, DemoUsers.LabCluster, DemoUsers.SampleParameters);
        await console.Get<Orchestration.Engine.RunService>().CancelAsync(runId, RunDriver.Olivia, "test over", CancellationToken.None);
    }
}
