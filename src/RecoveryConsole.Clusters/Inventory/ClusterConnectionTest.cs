using RecoveryConsole.Transports.Kubernetes.Checks;
using RecoveryConsole.Transports.Ssh.Checks;
using ApiCheck = RecoveryConsole.Transports.Kubernetes.Checks.ConnectionCheck;
using SshCheck = RecoveryConsole.Transports.Ssh.Checks.ConnectionCheck;

namespace RecoveryConsole.Clusters.Inventory;

/// <summary>The "test connection" result: each host over SSH and the API, each item a sentence.</summary>
public sealed record ClusterConnectionReport(IReadOnlyList<HostConnectionReport> Hosts, ConnectionReport? Api, string? ApiProblem);

/// <summary>Runs the SSH and API checks of a registered cluster (nothing but sudo -n true and read-only API calls).</summary>
public sealed class ClusterConnectionTest(ConsoleClusterRegistry registry)
{
    public async Task<ClusterConnectionReport> RunAsync(string clusterName, CancellationToken cancellationToken)
    {
        var definition = registry.Definition(clusterName) ?? throw new KeyNotFoundException($"No registered cluster {clusterName}.");
        var ssh = registry.SshOf(clusterName)!;
        var hosts = await new SshCheck(ssh).CheckAllAsync(definition.Hosts, cancellationToken);
        if (definition.Api() is null) return new ClusterConnectionReport(hosts, null, "No kubeconfig is registered for this cluster.");
        try
        {
            var client = await registry.ApiOf(clusterName)!.ClientAsync(cancellationToken);
            return new ClusterConnectionReport(hosts, await ApiCheck.RunAsync(client, cancellationToken), null);
        }
        catch (Orchestration.Transports.ApiUnreachableException e)
        {
            return new ClusterConnectionReport(hosts, null, e.Message);
        }
    }
}
