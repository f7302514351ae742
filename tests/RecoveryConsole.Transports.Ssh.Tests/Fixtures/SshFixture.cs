using Microsoft.AspNetCore.DataProtection;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Transports.Ssh.Keys;

namespace RecoveryConsole.Transports.Ssh.Tests.Fixtures;

/// <summary>One sshd for the Ssh tests, plus a key store (ephemeral Data Protection) holding the authorized client key.</summary>
public sealed class SshFixture : IAsyncLifetime
{
    public const string KeyId = "cluster-key";

    public SshdServer Server { get; private set; } = null!;
    public DataProtectedSshKeyStore Keys { get; private set; } = null!;
    public SshSettings Settings { get; } = new() { KillGracePeriod = TimeSpan.FromSeconds(2) };
    public HostInfo Host { get; } = new("master-0", "127.0.0.1", [HostRoles.ControlPlane]);

    public async Task InitializeAsync()
    {
        Server = SshdServer.Start();
        Keys = new DataProtectedSshKeyStore(new EphemeralDataProtectionProvider(), Path.Combine(Server.Directory, "keys"), Settings);
        await Keys.ImportAsync(KeyId, await File.ReadAllTextAsync(Server.ClientKeyPath), null, CancellationToken.None);
    }

    /// <summary>A profile for the fixture's sshd: root, its port, the stored key, a fresh known_hosts with the given trust.</summary>
    public SshClusterProfile Profile(HostKeyTrust trust = HostKeyTrust.RealKey) => new()
    {
        User = SshdServer.User,
        Port = Server.Port,
        KeyId = KeyId,
        KnownHostsFile = Server.KnownHosts(trust),
        ConnectTimeout = TimeSpan.FromSeconds(5),
    };

    public SshHostTransport Transport(SshClusterProfile? profile = null) => new(profile ?? Profile(), Settings, Keys);

    public Task DisposeAsync()
    {
        Server?.Dispose();
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class SshCollection : ICollectionFixture<SshFixture>
{
    public const string Name = "sshd";
}
