using System.Net;
using Microsoft.Extensions.DependencyInjection;
using RecoveryConsole.Orchestration.Approvals;
using RecoveryConsole.Orchestration.Audit;
using RecoveryConsole.Web.Accounts;
using RecoveryConsole.Web.Hubs;
using RecoveryConsole.Web.Tests.Support;

namespace RecoveryConsole.Web.Tests.Accounts;

/// <summary>Who may see and export a run is decided on the server by the roles held on its cluster.</summary>
[Trait("Category", "Security")]
public sealed class ClusterRoleTests
{
    private static readonly Actor Admin = new("admin", [Roles.Admin]);
    private static readonly string[] Exports = ["transcript.txt", "transcript.json", "report.md"];

    [Fact]
    public async Task Without_a_role_on_the_cluster_a_run_is_not_exported_nor_followed_and_the_global_roles_come_back_when_the_assignment_goes()
    {
        await using var console = await TestConsole.StartAsync();
        var runId = await RunDriver.StartSampleAsync(console);
        await RunDriver.CompleteAsync(console, runId);

        await ChangeAsync(console, a => a.SetAsync("vera", DemoUsers.LabCluster, [], Admin, CancellationToken.None));
        using (var vera = await ConsoleClient.SignInAsync(console, DemoUsers.Vera.Name, DemoUsers.Vera.Password))
        {
            foreach (var export in Exports)
                Assert.Equal(HttpStatusCode.NotFound, (await vera.Http.GetAsync($"/runs/{runId}/{export}")).StatusCode);
            await using var hub = await HubClient.ConnectAsync(console.BaseAddress, vera.Cookies);
            var follow = await Assert.ThrowsAsync<HubError>(async () =>
            {
                await foreach (var _ in hub.StreamAsync<RunStreamEvent>("Follow", [runId, 0L])) { }
            });
            Assert.EndsWith($"No run {runId}.", follow.Message);
        }

        using (var olivia = await ConsoleClient.SignInAsync(console, DemoUsers.Olivia.Name, DemoUsers.Olivia.Password))
            foreach (var export in Exports)
                Assert.Equal(HttpStatusCode.OK, (await olivia.Http.GetAsync($"/runs/{runId}/{export}")).StatusCode);

        await ChangeAsync(console, a => a.RemoveAsync("vera", DemoUsers.LabCluster, Admin, CancellationToken.None));
        using (var vera = await ConsoleClient.SignInAsync(console, DemoUsers.Vera.Name, DemoUsers.Vera.Password))
            Assert.Equal(HttpStatusCode.OK, (await vera.Http.GetAsync($"/runs/{runId}/report.md")).StatusCode);

        var audit = await console.Get<IAuditLog>().ListAsync(null, CancellationToken.None);
        Assert.Contains(audit, e => e.Kind == AuditKinds.AccountClusterRolesChanged && e.Actor == "admin" && e.Detail == "vera on lab-ocp4: no access");
    }

    [Fact]
    public async Task An_operator_elsewhere_who_is_a_viewer_on_the_cluster_cannot_start_there_over_the_hub()
    {
        await using var console = await TestConsole.StartAsync();
        await ChangeAsync(console, a => a.SetAsync("olivia", DemoUsers.LabCluster, [Roles.Viewer], Admin, CancellationToken.None));
        using var oliviaHttp = await ConsoleClient.SignInAsync(console, DemoUsers.Olivia.Name, DemoUsers.Olivia.Password);
        await using var olivia = await HubClient.ConnectAsync(console.BaseAddress, oliviaHttp.Cookies);

        var refused = await Assert.ThrowsAsync<HubError>(() => olivia.InvokeAsync("Start", DemoUsers.SampleProcedure, DemoUsers.LabCluster, DemoUsers.SampleParameters));

        Assert.Contains("olivia may not start a run on lab-ocp4: the operator role is needed", refused.Message);
    }

    [Fact]
    public async Task Only_an_admin_assigns_roles_and_bad_input_is_refused_in_words()
    {
        await using var console = await TestConsole.StartAsync();

        await Assert.ThrowsAsync<NotAllowedException>(() => ChangeAsync(console,
            a => a.SetAsync("vera", DemoUsers.LabCluster, [Roles.Admin], RunDriver.Olivia, CancellationToken.None)));
        var badCluster = await Assert.ThrowsAsync<ArgumentException>(() => ChangeAsync(console,
            a => a.SetAsync("vera", "Prod=East", [Roles.Viewer], Admin, CancellationToken.None)));
        Assert.Contains("is not a cluster name", badCluster.Message);
        var badRole = await Assert.ThrowsAsync<ArgumentException>(() => ChangeAsync(console,
            a => a.SetAsync("vera", DemoUsers.LabCluster, ["root"], Admin, CancellationToken.None)));
        Assert.Contains("Unknown role root", badRole.Message);
        await ChangeAsync(console, async a => Assert.Empty(await a.ListAsync("vera")));
    }

    private static async Task ChangeAsync(TestConsole console, Func<ClusterRoleAssignments, Task> change)
    {
        await using var scope = console.Services.CreateAsyncScope();
        await change(scope.ServiceProvider.GetRequiredService<ClusterRoleAssignments>());
    }
}
