using RecoveryConsole.Clusters.Registration;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Transports.Ssh.Tests.Fixtures;

namespace RecoveryConsole.Clusters.Tests.Support;

/// <summary>A real sshd on 127.0.0.1 for the Ssh tests (root, an authorized client key, a sudo that honours -n/-E). Installs nothing.</summary>
public sealed class SshClusterFixture : IAsyncLifetime
{
    public SshdServer Server { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Server = SshdServer.Start();
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        Server?.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Three control-plane hosts, all the fixture's sshd (the transport keeps one master per host name).</summary>
    public ClusterRegistrationRequest Registration(string name, string? kubeconfig = null) => new()
    {
        Name = name,
        Version = "4.16.12",
        Hosts = new[] { "master-0", "master-1", "master-2" }.Select(h => new HostInfo(h, "127.0.0.1", [HostRoles.ControlPlane])).ToList(),
        SshUser = SshdServer.User,
        SshPort = Server.Port,
        PrivateKey = File.ReadAllText(Server.ClientKeyPath),
        Kubeconfigs = kubeconfig is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["cluster"] = kubeconfig },
    };
}

[CollectionDefinition(Name)]
public sealed class SshClusterCollection : ICollectionFixture<SshClusterFixture>
{
    public const string Name = "registered cluster over sshd";
}
