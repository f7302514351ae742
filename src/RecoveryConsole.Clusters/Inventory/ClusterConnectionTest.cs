using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RecoveryConsole.Clusters.Connections;
using RecoveryConsole.Orchestration.Clusters;
using RecoveryConsole.Orchestration.Transcript;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Transports.Kubernetes.Checks;
using RecoveryConsole.Transports.Ssh.Checks;
using ApiCheck = RecoveryConsole.Transports.Kubernetes.Checks.ConnectionCheck;
using SshCheck = RecoveryConsole.Transports.Ssh.Checks.ConnectionCheck;

namespace RecoveryConsole.Clusters.Inventory;

/// <summary>The "test connection" answer for one kubeconfig role: the three API checks, or why they could not run.</summary>
public sealed record ApiConnectionReport(string Role, ConnectionReport? Report, string? Problem)
{
    public bool AllPassed => Report?.AllPassed == true && Problem is null;
}

/// <summary>The "test connection" result: each host over SSH and each registered API, each item a sentence.</summary>
public sealed record ClusterConnectionReport(string Cluster, IReadOnlyList<HostConnectionReport> Hosts, IReadOnlyList<ApiConnectionReport> Apis, DateTimeOffset CheckedAt)
{
    /// <summary>The cluster's own API (role "cluster"), if a kubeconfig is registered for it.</summary>
    public ApiConnectionReport? Api => Apis.FirstOrDefault(a => a.Role == ApiRoles.Cluster);

    public bool AllPassed => Hosts.All(h => h.AllPassed) && Apis.All(a => a.AllPassed);
}

/// <summary>
/// Runs the SSH and API checks of a registered cluster: nothing but <c>sudo -n true</c> on the hosts and read-only API
/// calls (version, who-am-I, an access review). Every host and every kubeconfig role is checked, even when one fails.
/// </summary>
public sealed class ClusterConnectionTest(ConsoleClusterRegistry registry, ISecretStore secrets, Redactor redactor, TimeProvider clock,
    ILogger<ClusterConnectionTest>? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger<ClusterConnectionTest>.Instance;

    public async Task<ClusterConnectionReport> RunAsync(string clusterName, CancellationToken cancellationToken)
    {
        var definition = registry.Definition(clusterName) ?? throw new KeyNotFoundException($"No registered cluster {clusterName}.");
        var ssh = registry.SshOf(clusterName)!;
        var check = new SshCheck(ssh);
        var hosts = Task.WhenAll(definition.Hosts.Select(h => CheckHostAsync(check, h, cancellationToken)));
        var apis = Task.WhenAll(definition.Apis.Select(a => CheckApiAsync(clusterName, a, cancellationToken)));
        return new ClusterConnectionReport(clusterName, await hosts, await apis, clock.GetUtcNow());
    }

    private async Task<HostConnectionReport> CheckHostAsync(SshCheck check, HostInfo host, CancellationToken cancellationToken)
    {
        try
        {
            return await check.CheckAsync(host, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // E.g. the stored key cannot be decrypted: a clear failure for this host, not a broken page.
            _logger.LogWarning("Connection test of {Host} failed: {Type}: {Message}", host.Name, e.GetType().Name, e.Message);
            var skipped = CheckItem.NotChecked("Not checked: the connection could not be attempted.");
            return new HostConnectionReport(host.Name, host.Address, CheckItem.Failed($"The console could not try to connect: {e.Message}"),
                HostKeyState.NotChecked, skipped, skipped, skipped, []);
        }
    }

    private async Task<ApiConnectionReport> CheckApiAsync(string clusterName, ApiAccess access, CancellationToken cancellationToken)
    {
        // The cluster's own API is the registry's (already built) client; the other roles get a client for this test only.
        var own = access.Role == ApiRoles.Cluster ? registry.ApiOf(clusterName) : null;
        var api = own ?? new DeferredKubernetesApi($"{clusterName} ({access.Role})", access, secrets, redactor);
        try
        {
            var client = await api.ClientAsync(cancellationToken);
            return new ApiConnectionReport(access.Role, await ApiCheck.RunAsync(client, cancellationToken), null);
        }
        catch (ApiUnreachableException e)
        {
            return new ApiConnectionReport(access.Role, null, e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogWarning("API test of {Cluster} ({Role}) failed: {Type}: {Message}", clusterName, access.Role, e.GetType().Name, e.Message);
            return new ApiConnectionReport(access.Role, null, $"The API check could not run: {e.Message}");
        }
        finally
        {
            if (own is null) api.Dispose();
        }
    }
}
