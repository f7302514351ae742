using System.Text;
using Microsoft.Extensions.DependencyInjection;
using RecoveryConsole.Audit.Entities;
using RecoveryConsole.Audit.Tests.TestSupport;
using RecoveryConsole.Orchestration.Clusters;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Audit.Tests.Clusters;

public sealed class ClusterDefinitionStoreTests
{
    private static ClusterDefinition Prod(string keyId = "k1") => new()
    {
        Name = "prod-east",
        Version = "4.16.12",
        Hosts = [new HostInfo("master-0", "10.0.0.10", ["control-plane"]), new HostInfo("worker-0", "10.0.0.20", ["worker"])],
        Ssh = new SshAccess { User = "core", Port = 2222, KeySecretId = keyId, JumpHost = "core@bastion:22" },
        Apis = [new ApiAccess { KubeconfigSecretId = "kc1", Context = "admin" }],
        Facts = new Dictionary<string, string> { ["platform"] = "IPI", ["networkType"] = "OVNKubernetes" },
        InventoryCapturedAt = new DateTimeOffset(2026, 11, 1, 8, 0, 0, TimeSpan.Zero),
        InventorySource = "captured from the API by olivia",
    };

    [Fact]
    public async Task A_registered_cluster_comes_back_whole_and_can_be_replaced_and_removed()
    {
        await using var store = await TestStore.CreateAsync();
        var clusters = store.Services.GetRequiredService<IClusterDefinitions>();

        await clusters.SaveAsync(Prod(), CancellationToken.None);
        var loaded = await clusters.FindAsync("prod-east", CancellationToken.None);

        Assert.NotNull(loaded);
        Assert.Equal(Prod().Hosts.Select(h => (h.Name, h.Address, string.Join(",", h.Roles))), loaded.Hosts.Select(h => (h.Name, h.Address, string.Join(",", h.Roles))));
        Assert.Equal(Prod().Ssh, loaded.Ssh);
        Assert.Equal(Prod().Apis, loaded.Apis);
        Assert.Equal(Prod().Facts, loaded.Facts);
        Assert.Equal(Prod().InventoryCapturedAt, loaded.InventoryCapturedAt);

        await clusters.SaveAsync(Prod("k2") with { Version = "4.16.13" }, CancellationToken.None);
        var replaced = Assert.Single(await clusters.ListAsync(CancellationToken.None));
        Assert.Equal(("4.16.13", "k2"), (replaced.Version, replaced.Ssh.KeySecretId));

        Assert.True(await clusters.DeleteAsync("prod-east", CancellationToken.None));
        Assert.Empty(await clusters.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_real_cluster_cannot_take_the_name_of_a_simulated_one()
    {
        await using var store = await TestStore.CreateAsync();
        await store.Clusters.UpsertAsync(new ClusterRecord { Name = "prod-east", Kind = ClusterKinds.Simulated }, CancellationToken.None);
        var clusters = store.Services.GetRequiredService<IClusterDefinitions>();

        await Assert.ThrowsAsync<InvalidOperationException>(() => clusters.SaveAsync(Prod(), CancellationToken.None));
        Assert.Null(await clusters.FindAsync("prod-east", CancellationToken.None));
    }

    [Fact]
    public async Task Secrets_are_stored_encrypted_and_read_back_exactly()
    {
        await using var store = await TestStore.CreateAsync();
        var secrets = store.Services.GetRequiredService<ISecretStore>();
        var key = Encoding.UTF8.GetBytes("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU=\n-----END OPENSSH PRIVATE KEY-----\n");

        var id = await secrets.PutAsync("ssh-key", key, CancellationToken.None);

        Assert.Equal(key, await secrets.GetAsync(id, CancellationToken.None));
        var stored = await store.ScalarAsync<string>("SELECT Protected FROM Secrets WHERE Id = $id", ("$id", id));
        Assert.DoesNotContain("OPENSSH", stored);
        Assert.DoesNotContain("b3BlbnNzaC1rZXktdjEAAAAABG5vbmU", Encoding.UTF8.GetString(Convert.FromBase64String(stored)));
        await secrets.DeleteAsync(id, CancellationToken.None);
        await Assert.ThrowsAsync<KeyNotFoundException>(() => secrets.GetAsync(id, CancellationToken.None));
    }
}
