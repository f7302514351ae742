using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using RecoveryConsole.Lab.Hosted;

namespace RecoveryConsole.Lab.Tests.Cloud;

/// <summary>Presigned URLs made by AWSSDK.S3, fetched with a bare HttpClient (as the hosted etcd's init container does).</summary>
[Trait("Category", "S3")]
[Trait("Category", "Security")]
public sealed class LabS3PresignTests
{
    private const string Key = "hosted-1-etcd-0-snapshot.db";
    private const string Content = "snapshot bytes";

    private static async Task<(LabCloudFixture Lab, string Url)> PresignedAsync(TimeSpan validFor, string key = Key)
    {
        var lab = await LabCloudFixture.StartAsync();
        using var s3 = lab.Client();
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = HostedEstate.Bucket, Key = Key, ContentBody = Content });
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = HostedEstate.Bucket, Key = "other.db", ContentBody = "other bytes" });
        var url = await s3.GetPreSignedURLAsync(new GetPreSignedUrlRequest
        {
            BucketName = HostedEstate.Bucket, Key = key, Verb = HttpVerb.GET, Protocol = Protocol.HTTP, Expires = DateTime.UtcNow.Add(validFor),
        });
        return (lab, url);
    }

    private static async Task<(HttpStatusCode Status, string Body)> FetchAsync(string url)
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(url);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_presigned_url_downloads_the_object_without_credentials()
    {
        var (lab, url) = await PresignedAsync(TimeSpan.FromMinutes(10));
        await using var _ = lab;

        Assert.StartsWith(lab.Endpoint.Address + HostedEstate.Bucket + "/", url, StringComparison.Ordinal);
        Assert.Contains("X-Amz-Signature=", url, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.OK, Content), await FetchAsync(url));
        // The same URL as the lab's etcd init container fetches it.
        Assert.Equal((200, Content), lab.Estate.S3.Fetch(url, lab.Time.GetUtcNow()));
    }

    [Fact]
    public async Task A_presigned_url_is_refused_once_the_lab_clock_passes_its_expiry()
    {
        var (lab, url) = await PresignedAsync(TimeSpan.FromMinutes(10));
        await using var _ = lab;
        Assert.Equal(HttpStatusCode.OK, (await FetchAsync(url)).Status);

        lab.Time.Advance(TimeSpan.FromMinutes(11));

        var (status, body) = await FetchAsync(url);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("<Code>AccessDenied</Code><Message>Request has expired", body, StringComparison.Ordinal);
        var fetched = lab.Estate.S3.Fetch(url, lab.Time.GetUtcNow());
        Assert.Equal(403, fetched.Status);
        Assert.Contains("Request has expired", fetched.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_presigned_url_with_another_key_is_refused()
    {
        var (lab, url) = await PresignedAsync(TimeSpan.FromMinutes(10));
        await using var _ = lab;

        var tampered = url.Replace("/" + Key + "?", "/other.db?", StringComparison.Ordinal);

        Assert.NotEqual(url, tampered);
        var (status, body) = await FetchAsync(tampered);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("<Code>SignatureDoesNotMatch</Code>", body, StringComparison.Ordinal);
        Assert.DoesNotContain("other bytes", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_presigned_url_with_a_longer_expiry_is_refused()
    {
        var (lab, url) = await PresignedAsync(TimeSpan.FromMinutes(10));
        await using var _ = lab;
        var expires = System.Text.RegularExpressions.Regex.Match(url, "X-Amz-Expires=([0-9]+)");
        Assert.True(expires.Success, url);

        var tampered = url.Replace(expires.Value, "X-Amz-Expires=604800", StringComparison.Ordinal);
        lab.Time.Advance(TimeSpan.FromMinutes(11)); // what the forger wanted: a URL that outlives its grant

        var (status, body) = await FetchAsync(tampered);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("<Code>SignatureDoesNotMatch</Code>", body, StringComparison.Ordinal);
    }
}
