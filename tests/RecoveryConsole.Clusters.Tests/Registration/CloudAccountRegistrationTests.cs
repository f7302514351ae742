using System.Security.Cryptography;
using RecoveryConsole.Clusters.Registration;
using RecoveryConsole.Clusters.Tests.Support;
using RecoveryConsole.Orchestration.Audit;
using RecoveryConsole.Orchestration.Clusters;
using RecoveryConsole.Orchestration.Transcript;

namespace RecoveryConsole.Clusters.Tests.Registration;

/// <summary>
/// A real cluster's AWS account for cloud steps: checked, its secret stored encrypted, given to the cluster's connection
/// (ClusterConnection.Cloud) with the secret known to the redactor, kept, replaced and removed without leaving secrets behind.
/// </summary>
[Trait("Category", "Security")]
public sealed class CloudAccountRegistrationTests : IAsyncLifetime
{
    private const string AccessKeyId = "AKIAPRODEAST00000001";
    private readonly string _secret = RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 40);
    private ClustersHost _console = null!;

    public async Task InitializeAsync() => _console = await ClustersHost.StartAsync();

    public async Task DisposeAsync() => await _console.DisposeAsync();

    private ClusterRegistrationRequest WithCloud(string? secret, string? endpoint = "https://s3.example.internal/", string region = "eu-west-1") =>
        Requests.Prod(kubeconfig: Requests.TokenKubeconfig()) with
        {
            Cloud = new CloudAccountRequest { AccessKeyId = AccessKeyId, SecretAccessKey = secret, Region = region, HostedZoneId = "Z0PRODEAST123", Endpoint = endpoint },
        };

    private Task<ClusterDefinition> SaveAsync(ClusterRegistrationRequest request) => _console.Registration.SaveAsync(request, ClustersHost.Olivia, CancellationToken.None);

    [Fact]
    public async Task A_registered_account_reaches_the_clusters_connection_with_its_secret_stored_only_encrypted()
    {
        var definition = await SaveAsync(WithCloud(_secret));

        var cloud = _console.Registry.Find("prod-east")!.Cloud;
        Assert.Equal(new CloudAccount(AccessKeyId, _secret, "eu-west-1", new Uri("https://s3.example.internal/"), "Z0PRODEAST123"), cloud);
        // Stored: an id in the definition, the bytes encrypted in Secrets; never in clear in the database or the data folder.
        Assert.Equal(AccessKeyId, definition.Cloud!.AccessKeyId);
        Assert.Contains(definition.Cloud.SecretId, await _console.ColumnAsync("Secrets", "Id"));
        foreach (var file in Directory.EnumerateFiles(_console.Folder, "console.db*")) // the database and its WAL
            Assert.DoesNotContain(_secret, File.ReadAllText(file, System.Text.Encoding.Latin1), StringComparison.Ordinal);
        Assert.DoesNotContain(_secret, _console.DataFilesText(), StringComparison.Ordinal);
        // Learnt by the redactor; the audit names the key id, not the secret.
        Assert.DoesNotContain(_secret, _console.Get<Redactor>().Redact($"aws_secret_access_key {_secret}"), StringComparison.Ordinal);
        var audit = Assert.Single(await _console.AuditAsync(AuditKinds.ClusterRegistered)).Detail;
        Assert.Contains($"cloud account {AccessKeyId} in eu-west-1 at https://s3.example.internal/ (new secret)", audit, StringComparison.Ordinal);
        Assert.DoesNotContain(_secret, audit, StringComparison.Ordinal);
        Assert.DoesNotContain(_secret, WithCloud(_secret).Cloud!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_secret_keeps_the_stored_one_a_new_one_replaces_it_and_removal_deletes_it()
    {
        var first = await SaveAsync(WithCloud(_secret));

        var kept = await SaveAsync(WithCloud(secret: null, region: "eu-central-1") with { Kubeconfigs = new Dictionary<string, string>() });
        Assert.Equal(first.Cloud!.SecretId, kept.Cloud!.SecretId);
        Assert.Equal((_secret, "eu-central-1"), (_console.Registry.Find("prod-east")!.Cloud!.SecretAccessKey, _console.Registry.Find("prod-east")!.Cloud!.Region));

        var replaced = await SaveAsync(WithCloud(_secret + "NEW") with { Kubeconfigs = new Dictionary<string, string>() });
        Assert.NotEqual(first.Cloud.SecretId, replaced.Cloud!.SecretId);
        Assert.DoesNotContain(first.Cloud.SecretId, await _console.ColumnAsync("Secrets", "Id"));
        Assert.Equal(_secret + "NEW", _console.Registry.Find("prod-east")!.Cloud!.SecretAccessKey);

        var removed = await SaveAsync(Requests.Prod() with { RemoveCloud = true });
        Assert.Null(removed.Cloud);
        Assert.Null(_console.Registry.Find("prod-east")!.Cloud);
        Assert.DoesNotContain(replaced.Cloud.SecretId, await _console.ColumnAsync("Secrets", "Id"));
    }

    [Theory]
    [InlineData("http://s3.example.internal/", "Cloud account: endpoint 'http://s3.example.internal/' would send signed requests in clear over the network; use https (plain http only on 127.0.0.0/8).")]
    [InlineData("http://10.0.0.5:9000/", "Cloud account: endpoint 'http://10.0.0.5:9000/' would send signed requests in clear over the network; use https (plain http only on 127.0.0.0/8).")]
    [InlineData("https://user:pw@s3.example.internal/", "Cloud account: the endpoint carries no user, query or fragment; the credentials go in their own fields.")]
    [InlineData("ftp://s3.example.internal/", "Cloud account: endpoint 'ftp://s3.example.internal/' is not an http(s) URL.")]
    public async Task An_endpoint_beyond_https_or_loopback_http_is_refused_in_words_and_nothing_is_stored(string endpoint, string message)
    {
        var e = await Assert.ThrowsAsync<ClusterRegistrationException>(() => SaveAsync(WithCloud(_secret, endpoint)));

        Assert.Equal([message], e.For(RegistrationFields.Cloud));
        Assert.Empty(await _console.Get<IClusterDefinitions>().ListAsync(CancellationToken.None));
        Assert.Empty(await _console.ColumnAsync("Secrets", "Id"));
    }

    [Fact]
    public async Task A_loopback_http_endpoint_is_accepted()
    {
        var definition = await SaveAsync(WithCloud(_secret, "http://127.0.0.1:9000/"));

        Assert.Equal("http://127.0.0.1:9000/", definition.Cloud!.Endpoint);
    }

    [Fact]
    public async Task A_new_account_needs_its_key_id_secret_and_region()
    {
        var e = await Assert.ThrowsAsync<ClusterRegistrationException>(() => SaveAsync(Requests.Prod(kubeconfig: Requests.TokenKubeconfig()) with
        {
            Cloud = new CloudAccountRequest { AccessKeyId = "not a key", Region = "Europe" },
        }));

        Assert.Equal(
        [
            "Cloud account: the access key id is 16 to 128 capital letters and digits (like AKIA...).",
            "Cloud account: give the secret access key.",
            "Cloud account: 'Europe' is not an AWS region (like us-east-1).",
        ], e.For(RegistrationFields.Cloud));
        Assert.Empty(await _console.ColumnAsync("Secrets", "Id"));
    }
}
