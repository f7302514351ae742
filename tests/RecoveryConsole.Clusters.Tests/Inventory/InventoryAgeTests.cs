using RecoveryConsole.Clusters.Inventory;
using RecoveryConsole.Orchestration.Clusters;

namespace RecoveryConsole.Clusters.Tests.Inventory;

public sealed class InventoryAgeTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 3, 0, 0, TimeSpan.Zero);

    private static ClusterDefinition Captured(TimeSpan ago, string source) =>
        new() { Name = "prod-east", InventoryCapturedAt = Now - ago, InventorySource = source };

    [Fact]
    public void A_recent_capture_reads_as_who_and_when()
    {
        var age = InventoryAge.Of(Captured(TimeSpan.FromDays(3) + TimeSpan.FromHours(2), "captured from the API by olivia"), Now);

        Assert.Equal("captured from the API by olivia 3 days ago", age.Text);
        Assert.False(age.IsStale);
        Assert.Null(age.Warning);
        Assert.Equal("2026-11-19 01:00 UTC", age.CapturedAtUtc);
    }

    [Fact]
    public void Older_than_seven_days_is_stale_and_says_what_to_do()
    {
        var age = InventoryAge.Of(Captured(TimeSpan.FromDays(12), "captured from the API by olivia; corrected by arjun on 2026-11-20 10:00 UTC"), Now);

        Assert.True(age.IsStale);
        Assert.Equal("captured from the API by olivia 12 days ago; corrected by arjun on 2026-11-20 10:00 UTC", age.Text);
        Assert.StartsWith("The inventory is 12 days old", age.Warning, StringComparison.Ordinal);
        Assert.False(InventoryAge.Of(Captured(TimeSpan.FromDays(7), "captured from the API by olivia"), Now).IsStale);
    }

    [Fact]
    public void No_capture_says_so()
    {
        var age = InventoryAge.Of(new ClusterDefinition { Name = "prod-east" }, Now);

        Assert.True(age.NeverCaptured);
        Assert.Equal("not captured yet", age.Text);
        Assert.NotNull(age.Warning);
    }

    [Theory]
    [InlineData(0, "just now")]
    [InlineData(59, "just now")]
    [InlineData(60, "1 minute ago")]
    [InlineData(3600 * 2 + 5, "2 hours ago")]
    [InlineData(86400, "1 day ago")]
    [InlineData(-30, "just now")]
    public void Ages_in_words(int seconds, string text) => Assert.Equal(text, InventoryAge.Ago(TimeSpan.FromSeconds(seconds)));
}
