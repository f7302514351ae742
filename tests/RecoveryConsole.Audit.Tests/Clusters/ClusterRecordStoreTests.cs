using RecoveryConsole.Audit.Entities;
using RecoveryConsole.Audit.Tests.TestSupport;

namespace RecoveryConsole.Audit.Tests.Clusters;

public sealed class ClusterRecordStoreTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset T0 = new(2026, 1, 15, 9, 30, 0, TimeSpan.FromHours(1));

    [Fact]
    public async Task Upsert_inserts_then_updates_and_keeps_the_first_registration_time()
    {
        await using var store = await TestStore.CreateAsync();
        await store.Clusters.UpsertAsync(new ClusterRecord
        {
            Name = "prod-east", Kind = ClusterKinds.Real, Product = "openshift", Version = "4.14.3",
            ConnectionProfile = "prod-east-ssh", RegisteredAt = T0,
        }, None);
        await store.Clusters.UpsertAsync(new ClusterRecord
        {
            Name = "lab-1", Kind = ClusterKinds.Simulated, Version = "4.16.0", ConnectionProfile = "lab", RegisteredAt = T0,
        }, None);

        await store.Clusters.UpsertAsync(new ClusterRecord
        {
            Name = "prod-east", Kind = ClusterKinds.Real, Product = "openshift", Version = "4.15.1",
            ConnectionProfile = "prod-east-bastion", RegisteredAt = T0.AddDays(30),
        }, None);

        var all = await store.Clusters.ListAsync(None);
        Assert.Equal(["lab-1", "prod-east"], all.Select(c => c.Name));
        var prod = all[1];
        Assert.Equal("4.15.1", prod.Version);
        Assert.Equal("prod-east-bastion", prod.ConnectionProfile);
        Assert.Equal(T0, prod.RegisteredAt);
        Assert.Equal(ClusterKinds.Simulated, all[0].Kind);
        Assert.Equal("openshift", all[0].Product);

        Assert.Equal("4.15.1", (await store.Clusters.FindAsync("prod-east", None))!.Version);
        Assert.Null(await store.Clusters.FindAsync("nowhere", None));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Simulated")]
    [InlineData("kind")]
    public async Task An_unknown_kind_is_refused(string kind)
    {
        await using var store = await TestStore.CreateAsync();
        await Assert.ThrowsAsync<ArgumentException>(() =>
            store.Clusters.UpsertAsync(new ClusterRecord { Name = "x", Kind = kind, RegisteredAt = T0 }, None));
        Assert.Empty(await store.Clusters.ListAsync(None));
    }
}
