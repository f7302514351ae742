using RecoveryConsole.Transports.Kubernetes.Checks;
using RecoveryConsole.Transports.Kubernetes.Tests.Support;
using static RecoveryConsole.Transports.Kubernetes.Tests.Support.KubeconfigYaml;

namespace RecoveryConsole.Transports.Kubernetes.Tests.Checks;

[Trait("Category", "Lab")]
public sealed class ConnectionCheckTests : IAsyncLifetime
{
    private LabHarness _lab = null!;

    public async Task InitializeAsync() => _lab = await LabHarness.StartAsync();

    public async Task DisposeAsync() => await _lab.DisposeAsync();

    [Fact]
    public async Task The_installer_admin_passes_every_check()
    {
        var report = await ConnectionCheck.RunAsync(_lab.Client());

        Assert.True(report.AllPassed);
        Assert.Equal($"The API server at {_lab.Server.Address.GetLeftPart(UriPartial.Authority)} answered (Kubernetes v1.29.5+29c95f3).", report.Reachable.Sentence);
        Assert.Equal("Authenticated as system:admin.", report.Authenticated.Sentence);
        Assert.Equal("system:admin is cluster-admin: allowed every action on every resource.", report.ClusterAdmin.Sentence);
        Assert.Empty(report.Warnings);
    }

    [Fact]
    public async Task A_reader_is_authenticated_but_not_cluster_admin()
    {
        var report = await ConnectionCheck.RunAsync(_lab.Client(user: "viewer", groups: ["lab-viewers"]));

        Assert.True(report.Reachable.Passed);
        Assert.Equal("Authenticated as viewer.", report.Authenticated.Sentence);
        Assert.Equal(CheckOutcome.Failed, report.ClusterAdmin.Outcome);
        Assert.StartsWith("viewer is not cluster-admin", report.ClusterAdmin.Sentence);
    }

    [Fact]
    public async Task Missing_credentials_fail_the_login_and_skip_the_rest()
    {
        var client = _lab.ClientFromText(Build($"certificate-authority-data: {Base64(_lab.Server.Authority.CertificatePem)}", "{}",
            server: _lab.Server.Address.ToString().TrimEnd('/')));

        var report = await ConnectionCheck.RunAsync(client);

        Assert.True(report.Reachable.Passed);
        Assert.StartsWith("User 'admin' was refused (401 Unauthorized)", report.Authenticated.Sentence);
        Assert.Equal(CheckOutcome.Skipped, report.ClusterAdmin.Outcome);
        Assert.Contains(report.Warnings, w => w.Contains("has no credentials", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Insecure_tls_passes_but_the_report_carries_the_warning()
    {
        var token = _lab.Server.Users.AddToken("system:admin", "system:masters");
        var client = _lab.ClientFromText(Build("insecure-skip-tls-verify: true", $"token: {token}", server: _lab.Server.Address.ToString().TrimEnd('/')));

        var report = await ConnectionCheck.RunAsync(client);

        Assert.True(report.AllPassed);
        Assert.Contains(report.Warnings, w => w.StartsWith("TLS verification is off", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_server_that_is_gone_is_unreachable_and_nothing_else_is_checked()
    {
        var client = _lab.Client();
        await _lab.Server.DisposeAsync();

        var report = await ConnectionCheck.RunAsync(client);

        Assert.Equal(CheckOutcome.Failed, report.Reachable.Outcome);
        Assert.Contains("could not be reached: connection refused", report.Reachable.Sentence);
        Assert.Equal(CheckOutcome.Skipped, report.Authenticated.Outcome);
        Assert.Equal(CheckOutcome.Skipped, report.ClusterAdmin.Outcome);
    }
}
