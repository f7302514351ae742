using System.Net;
using System.Security.Cryptography;
using RecoveryConsole.Cloud.S3;
using RecoveryConsole.Lab.Hosted;
using RecoveryConsole.Orchestration.Engine;

namespace RecoveryConsole.Orchestration.Tests.Actions.Cloud;

/// <summary>s3Upload, s3Status and s3Presign with the real AWSSDK.S3 client against the lab's SigV4-verifying S3 endpoint.</summary>
[Trait("Category", "S3")]
[Trait("Category", "Security")]
public sealed class S3ActionTests
{
    private const string Key = "backups/hosted-1/etcd-0-snapshot.db";

    private static async Task<(byte[] Content, string Sha256)> SaveSnapshotAsync(CloudLab lab, int size = 150_000)
    {
        var content = RandomNumberGenerator.GetBytes(size);
        await lab.Artifacts.SaveAsync(lab.RunId, "etcd-0-snapshot.db", new MemoryStream(content), "test", new Dictionary<string, string>(), default);
        return (content, Convert.ToHexStringLower(SHA256.HashData(content)));
    }

    private static Dictionary<string, string> Upload(string bucket = HostedEstate.Bucket) => new() { ["artifact"] = "etcd-0-snapshot.db", ["bucket"] = bucket, ["key"] = Key };
    private static Dictionary<string, string> Object(string? sha256 = null, string? expires = null)
    {
        var arguments = new Dictionary<string, string> { ["bucket"] = HostedEstate.Bucket, ["key"] = Key };
        if (sha256 is not null) arguments["sha256"] = sha256;
        if (expires is not null) arguments["expires"] = expires;
        return arguments;
    }

    [Fact]
    public async Task An_artifact_is_uploaded_checked_by_status_and_downloaded_through_its_presigned_url()
    {
        await using var lab = await CloudLab.StartAsync();
        var (content, sha) = await SaveSnapshotAsync(lab);

        var upload = await lab.RunAsync(new S3UploadAction(), Upload());

        Assert.Equal($"s3://{HostedEstate.Bucket}/{Key}", upload.Output("url"));
        Assert.Equal(sha, upload.Output("sha256"));
        Assert.Equal(content.Length.ToString(), upload.Output("bytes"));
        Assert.Equal(content, lab.Estate.S3.Find(Key)!.Content);
        Assert.Contains(upload.Lines, l => l == $"s3://{HostedEstate.Bucket}/{Key}: {content.Length} bytes, sha256 {sha} (equal to the artifact)");

        var status = await lab.RunAsync(new S3StatusAction(), Object(sha256: sha));
        Assert.Equal((content.Length.ToString(), sha), (status.Output("bytes"), status.Output("sha256")));
        Assert.Equal(lab.Time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"), status.Output("lastModified"));

        var presign = await lab.RunAsync(new S3PresignAction(), Object(expires: "30m"));
        var url = presign.Output("url");
        Assert.StartsWith(lab.Endpoint.Address + HostedEstate.Bucket + "/", url, StringComparison.Ordinal);
        Assert.Contains("X-Amz-Expires=1800", url, StringComparison.Ordinal);
        Assert.Contains("url", presign.Context.SecretOutputNames);
        Assert.DoesNotContain(presign.Lines, l => l.Contains("X-Amz", StringComparison.Ordinal));
        using var http = new HttpClient();
        Assert.Equal(content, await http.GetByteArrayAsync(url));
        // The redactor learnt it the moment it was made.
        Assert.DoesNotContain("X-Amz-Signature", lab.Redactor.Redact($"restoreSnapshotURL: {url}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_presigned_url_changed_to_another_key_is_refused_by_the_lab()
    {
        await using var lab = await CloudLab.StartAsync();
        await SaveSnapshotAsync(lab);
        await lab.RunAsync(new S3UploadAction(), Upload());
        lab.Estate.S3.Put("backups/hosted-1/other.db", "other bytes", lab.Time.GetUtcNow());
        var url = (await lab.RunAsync(new S3PresignAction(), Object())).Output("url");

        using var http = new HttpClient();
        using var tampered = await http.GetAsync(url.Replace("etcd-0-snapshot.db?", "other.db?", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.Forbidden, tampered.StatusCode);
        var body = await tampered.Content.ReadAsStringAsync();
        Assert.Contains("<Code>SignatureDoesNotMatch</Code>", body, StringComparison.Ordinal);
        Assert.DoesNotContain("other bytes", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_secret_is_refused_in_words_and_nothing_is_uploaded()
    {
        await using var lab = await CloudLab.StartAsync();
        await SaveSnapshotAsync(lab);
        var wrong = lab.WrongSecret();

        var failed = await Assert.ThrowsAsync<StepFailedException>(() => lab.RunAsync(new S3UploadAction(), Upload(), wrong));

        Assert.Equal($"S3 refused the credentials for bucket {HostedEstate.Bucket} (SignatureDoesNotMatch): nothing was uploaded.", failed.Message);
        Assert.Empty(lab.Estate.S3.Keys);
        Assert.DoesNotContain(wrong.SecretAccessKey, failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_endpoint_is_named_in_words_without_a_stack_trace()
    {
        await using var lab = await CloudLab.StartAsync();
        await SaveSnapshotAsync(lab);
        var closed = CloudLab.ClosedEndpoint();

        var failed = await Assert.ThrowsAsync<StepFailedException>(() => lab.RunAsync(new S3UploadAction(), Upload(), lab.Account with { Endpoint = closed }));

        Assert.StartsWith($"The S3 endpoint {closed} could not be reached (", failed.Message, StringComparison.Ordinal);
        Assert.EndsWith("): nothing was uploaded.", failed.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_bucket_is_said_in_words()
    {
        await using var lab = await CloudLab.StartAsync();
        await SaveSnapshotAsync(lab);

        var failed = await Assert.ThrowsAsync<StepFailedException>(() => lab.RunAsync(new S3UploadAction(), Upload(bucket: "no-such-bucket")));

        Assert.Equal($"S3 bucket no-such-bucket does not exist at {lab.Endpoint.Address} (NoSuchBucket): nothing was uploaded.", failed.Message);
    }

    [Fact]
    public async Task A_cluster_without_a_cloud_account_or_an_unknown_artifact_is_refused_before_any_request()
    {
        await using var lab = await CloudLab.StartAsync();

        var noAccount = await Assert.ThrowsAsync<StepFailedException>(() => lab.RunAsync(new S3UploadAction(), Upload(), noAccount: true));
        var noArtifact = await Assert.ThrowsAsync<StepFailedException>(() => lab.RunAsync(new S3UploadAction(), Upload()));

        Assert.Equal($"Cluster {CloudLab.Cluster} has no cloud account: register its AWS account (access key, secret, region) before running cloud steps.", noAccount.Message);
        Assert.Equal("This run has no artifact 'etcd-0-snapshot.db' to upload: nothing was uploaded.", noArtifact.Message);
    }

    [Fact]
    public async Task Status_fails_in_words_for_an_absent_object_and_for_another_checksum()
    {
        await using var lab = await CloudLab.StartAsync();
        var (_, sha) = await SaveSnapshotAsync(lab);

        var absent = await Assert.ThrowsAsync<StepFailedException>(() => lab.RunAsync(new S3StatusAction(), Object()));
        await lab.RunAsync(new S3UploadAction(), Upload());
        var other = new string('0', 64);
        var differs = await Assert.ThrowsAsync<StepFailedException>(() => lab.RunAsync(new S3StatusAction(), Object(sha256: other)));

        Assert.Equal($"s3://{HostedEstate.Bucket}/{Key} does not exist (no such object, or no such bucket): its status is unknown.", absent.Message);
        Assert.Equal($"s3://{HostedEstate.Bucket}/{Key} is not the expected object: its sha256 is {sha}, expected {other}.", differs.Message);
    }

    [Theory]
    [InlineData("soon", "expires 'soon' is not a duration (like 1h, 30m or 7d).")]
    [InlineData("8d", "expires '8d' is outside what S3 allows for a presigned URL (more than 0, at most 7 days).")]
    [InlineData("169h", "expires '169h' is outside what S3 allows for a presigned URL (more than 0, at most 7 days).")]
    public async Task A_presign_expiry_s3_does_not_allow_is_refused_in_words(string expires, string message)
    {
        await using var lab = await CloudLab.StartAsync();
        await SaveSnapshotAsync(lab);
        await lab.RunAsync(new S3UploadAction(), Upload());

        var failed = await Assert.ThrowsAsync<StepFailedException>(() => lab.RunAsync(new S3PresignAction(), Object(expires: expires)));

        Assert.Equal(message, failed.Message);
    }
}
