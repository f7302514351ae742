using System.Net;
using System.Security.Cryptography;
using System.Text;
using RecoveryConsole.Orchestration.Artifacts;
using RecoveryConsole.Web.Artifacts;
using RecoveryConsole.Web.Tests.Support;

namespace RecoveryConsole.Web.Tests.Artifacts;

/// <summary>The artifact download over real HTTP: approvers only, checked on the server; a changed file never passes as whole.</summary>
[Trait("Category", "Security")]
public sealed class ArtifactDownloadTests
{
    private const string Content = "snapshot bytes of hosted-1 etcd-0, saved at 03:00\n";

    [Fact]
    public async Task An_approver_downloads_the_artifact_with_its_checksum_and_operators_and_viewers_are_refused()
    {
        await using var console = await TestConsole.StartAsync();
        var runId = await RunDriver.StartSampleAsync(console);
        await RunDriver.CompleteAsync(console, runId);
        var saved = await console.Get<IArtifactStore>().SaveAsync(runId, "snapshot.db", new MemoryStream(Encoding.UTF8.GetBytes(Content)), "etcd-0:/var/lib/snapshot.db", new Dictionary<string, string>(), default);

        using var arjun = await ConsoleClient.SignInAsync(console, DemoUsers.Arjun.Name, DemoUsers.Arjun.Password);
        var response = await arjun.Http.GetAsync(ArtifactEndpoints.Link(runId, "snapshot.db"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Content, Encoding.UTF8.GetString(bytes));
        Assert.Equal(saved.Sha256, response.Headers.GetValues(ArtifactEndpoints.Sha256Header).Single());
        Assert.Equal(saved.Sha256, Convert.ToHexStringLower(SHA256.HashData(bytes)));

        foreach (var (name, password) in new[] { DemoUsers.Olivia, DemoUsers.Vera })
        {
            using var other = await ConsoleClient.SignInAsync(console, name, password);
            var refused = await other.Http.GetAsync(ArtifactEndpoints.Link(runId, "snapshot.db"));
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.DoesNotContain("snapshot bytes", await refused.Content.ReadAsStringAsync());
        }
        Assert.Equal(HttpStatusCode.NotFound, (await arjun.Http.GetAsync(ArtifactEndpoints.Link(runId, "other.db"))).StatusCode);
    }

    [Fact]
    public async Task A_tampered_artifact_is_refused_or_its_download_broken()
    {
        await using var console = await TestConsole.StartAsync();
        var runId = await RunDriver.StartSampleAsync(console);
        await RunDriver.CompleteAsync(console, runId);
        var store = (FileArtifactStore)console.Get<IArtifactStore>();
        await store.SaveAsync(runId, "same-size.db", new MemoryStream(Encoding.UTF8.GetBytes(Content)), "test", new Dictionary<string, string>(), default);
        await store.SaveAsync(runId, "grown.db", new MemoryStream(Encoding.UTF8.GetBytes(Content)), "test", new Dictionary<string, string>(), default);
        var folder = Path.Combine(store.Root, runId.ToString());
        await File.WriteAllTextAsync(Path.Combine(folder, "same-size.db"), Content.Replace("03:00", "04:00", StringComparison.Ordinal));
        await File.WriteAllTextAsync(Path.Combine(folder, "grown.db"), Content + "extra");
        using var arjun = await ConsoleClient.SignInAsync(console, DemoUsers.Arjun.Name, DemoUsers.Arjun.Password);

        var grown = await arjun.Http.GetAsync(ArtifactEndpoints.Link(runId, "grown.db"));
        Assert.Equal(HttpStatusCode.Conflict, grown.StatusCode);
        Assert.Contains("is corrupt", await grown.Content.ReadAsStringAsync());

        // Same size: only the hash can tell, at the end of the stream; the client must not receive a complete file.
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            using var response = await arjun.Http.GetAsync(ArtifactEndpoints.Link(runId, "same-size.db"));
            await response.Content.ReadAsByteArrayAsync();
        });
    }
}
