using Microsoft.AspNetCore.DataProtection;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Procedures.Rendering;
using RecoveryConsole.Transports.Ssh.Keys;

namespace RecoveryConsole.Transports.Ssh.Tests.Fixtures;

/// <summary>
/// A real three-member etcd 3.4 cluster and an sshd of its own, with one transport to 127.0.0.1: the etcd tests
/// send etcdctl exactly as a procedure would, over SSH.
/// </summary>
public sealed class EtcdFixture : IAsyncLifetime
{
    public SshdServer Server { get; private set; } = null!;
    public EtcdCluster Cluster { get; private set; } = null!;
    public SshHostTransport Transport { get; private set; } = null!;
    public HostInfo Host { get; } = new("master-0", "127.0.0.1", [HostRoles.ControlPlane]);

    public async Task InitializeAsync()
    {
        Server = SshdServer.Start();
        var settings = new SshSettings();
        var keys = new DataProtectedSshKeyStore(new EphemeralDataProtectionProvider(), Path.Combine(Server.Directory, "keys"), settings);
        await keys.ImportAsync("etcd-key", await File.ReadAllTextAsync(Server.ClientKeyPath), null, CancellationToken.None);
        Transport = new SshHostTransport(new SshClusterProfile
        {
            User = SshdServer.User, Port = Server.Port, KeyId = "etcd-key", KnownHostsFile = Server.KnownHosts(HostKeyTrust.RealKey),
        }, settings, keys);
        Cluster = await EtcdCluster.StartAsync(3, "rc-test-" + Guid.NewGuid().ToString("N")[..6]);
    }

    /// <summary>Runs etcdctl (API v3) on the "host" over SSH; returns stdout, failing with etcdctl's stderr if it did not exit 0.</summary>
    public async Task<string> EtcdctlAsync(string endpoints, params string[] args)
    {
        var sink = new CollectingSink();
        var command = $"ETCDCTL_API=3 etcdctl --endpoints {ShellQuote.Quote(endpoints)} {string.Join(' ', args.Select(ShellQuote.Quote))}";
        var exit = await Transport.RunAsync(Host, command, sink, TimeSpan.FromMinutes(2), CancellationToken.None);
        Assert.True(exit == 0, $"'{command}' exited {exit}: {string.Join('\n', sink.Stderr.TakeLast(5))}");
        return string.Join('\n', sink.Stdout);
    }

    /// <summary>
    /// Membership changes: etcd 3.4 refuses them ("etcdserver: unhealthy cluster") until every member has been connected
    /// for a few seconds, as an operator finds right after a start. Retries that refusal only, for up to 30 seconds.
    /// </summary>
    public async Task<string> EtcdctlReconfigureAsync(string endpoints, params string[] args)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var sink = new CollectingSink();
            var command = $"ETCDCTL_API=3 etcdctl --endpoints {ShellQuote.Quote(endpoints)} {string.Join(' ', args.Select(ShellQuote.Quote))}";
            var exit = await Transport.RunAsync(Host, command, sink, TimeSpan.FromMinutes(2), CancellationToken.None);
            if (exit == 0) return string.Join('\n', sink.Stdout);
            var refusedAsUnhealthy = sink.Stderr.Any(l => l.Contains("unhealthy cluster", StringComparison.Ordinal));
            Assert.True(refusedAsUnhealthy && DateTime.UtcNow < deadline, $"'{command}' exited {exit}: {string.Join('\n', sink.Stderr.TakeLast(5))}");
            await Task.Delay(500);
        }
    }

    public async Task DisposeAsync()
    {
        if (Transport is not null) await Transport.DisposeAsync();
        Cluster?.Dispose();
        Server?.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class EtcdCollection : ICollectionFixture<EtcdFixture>
{
    public const string Name = "etcd";
}
