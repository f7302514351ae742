using RecoveryConsole.Clusters.Tests.Support;
using RecoveryConsole.Orchestration.Clusters;
using RecoveryConsole.Orchestration.Transcript;

namespace RecoveryConsole.Clusters.Tests;

/// <summary>A registered cluster's credentials are known secrets from the moment the registry loads it, API used or not.</summary>
[Trait("Category", "Security")]
public sealed class RegisteredCredentialsRedactionTests : IAsyncLifetime
{
    // No shape gives these away (no field name, no sha256~ prefix, no JWT): only knowing the value masks it.
    private const string OpaqueToken = "opaque-robot-credential-4711";
    private const string OpaquePassword = "CorrectHorseBatteryStaple42";

    private ClustersHost _console = null!;

    public async Task InitializeAsync() => _console = await ClustersHost.StartAsync(lab: false);

    public async Task DisposeAsync() => await _console.DisposeAsync();

    [Fact]
    public async Task Kubeconfig_credentials_are_masked_after_a_restart_before_any_run_or_API_call()
    {
        var kubeconfig = Requests.TokenKubeconfig().Replace($"token: {Requests.Token}", $"token: {OpaqueToken}\n    password: \"{OpaquePassword}\"", StringComparison.Ordinal);
        await _console.Registration.SaveAsync(Requests.Prod(kubeconfig: kubeconfig), ClustersHost.Olivia, CancellationToken.None);

        // The console restarted: a new registry and a redactor that has seen nothing yet.
        var redactor = new Redactor();
        Assert.Equal($"echo {OpaqueToken}", redactor.Redact($"echo {OpaqueToken}"));
        await using var restarted = new ConsoleClusterRegistry(_console.Get<IClusterDefinitions>(), _console.Get<ISecretStore>(),
            _console.Get<Transports.Ssh.SshTransportFactory>(), _console.Get<ClusterPaths>(), redactor);
        await restarted.RefreshAsync(CancellationToken.None);

        Assert.Equal($"echo {Redactor.Mask} then {Redactor.Mask}", redactor.Redact($"echo {OpaqueToken} then {OpaquePassword}"));
        Assert.Equal("echo nothing secret", redactor.Redact("echo nothing secret"));
    }
}
