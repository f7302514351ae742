using System.Net;
using System.Security.Cryptography;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using RecoveryConsole.Lab.Hosted;

namespace RecoveryConsole.Lab.Tests.Cloud;

/// <summary>The lab's S3 endpoint judged by the real AWSSDK.S3 client: what it signs is accepted, anything else refused.</summary>
[Trait("Category", "S3")]
[Trait("Category", "Security")]
public sealed class LabS3EndpointTests
{
    private const string Key = "backups/hosted-1-etcd-0-snapshot.db";

    private static byte[] Payload(int size) => RandomNumberGenerator.GetBytes(size);

    [Fact]
    public async Task An_upload_with_the_default_chunked_body_and_crc32_trailer_is_stored_decoded_and_read_back()
    {
        await using var lab = await LabCloudFixture.StartAsync();
        using var s3 = lab.Client();
        var content = Payload(200_000); // more than one chunk of the SDK's aws-chunked body

        var put = await s3.PutObjectAsync(new PutObjectRequest { BucketName = HostedEstate.Bucket, Key = Key, InputStream = new MemoryStream(content) });

        Assert.Equal(HttpStatusCode.OK, put.HttpStatusCode);
        // Over plain HTTP the SDK signs every chunk and the CRC32 trailer: all three were checked by the endpoint.
        Assert.Equal("STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", lab.Endpoint.LastPayloadHash);
        Assert.Equal(content, lab.Estate.S3.Find(Key)!.Content); // the framing and the trailer are gone
        var head = await s3.GetObjectMetadataAsync(HostedEstate.Bucket, Key);
        Assert.Equal(content.Length, head.ContentLength);
        Assert.Equal($"\"{Convert.ToHexString(MD5.HashData(content)).ToLowerInvariant()}\"", head.ETag);
        using var get = await s3.GetObjectAsync(HostedEstate.Bucket, Key);
        using var read = new MemoryStream();
        await get.ResponseStream.CopyToAsync(read);
        Assert.Equal(content, read.ToArray());
        var list = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = HostedEstate.Bucket, Prefix = "backups/" });
        Assert.Equal(Key, Assert.Single(list.S3Objects).Key);
    }

    [Fact]
    public async Task An_upload_without_chunk_encoding_is_checked_against_its_payload_hash()
    {
        await using var lab = await LabCloudFixture.StartAsync();
        using var s3 = lab.Client();
        var content = Encoding.UTF8.GetBytes("plain body");

        await s3.PutObjectAsync(new PutObjectRequest { BucketName = HostedEstate.Bucket, Key = "plain.txt", InputStream = new MemoryStream(content), UseChunkEncoding = false });

        Assert.Equal(content, lab.Estate.S3.Find("plain.txt")!.Content);
    }

    [Fact]
    public async Task A_chunked_body_changed_in_flight_is_refused_and_nothing_is_stored()
    {
        await using var lab = await LabCloudFixture.StartAsync();
        var config = lab.Config();
        config.HttpClientFactory = new TamperingClientFactory();
        using var s3 = new AmazonS3Client(new Amazon.Runtime.BasicAWSCredentials(lab.Estate.Credentials.AccessKeyId, lab.Estate.Credentials.SecretAccessKey), config);

        var refused = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.PutObjectAsync(new PutObjectRequest { BucketName = HostedEstate.Bucket, Key = Key, InputStream = new MemoryStream(Payload(5000)) }));

        // Signed chunks fail their chunk signature; unsigned ones their CRC32 trailer.
        Assert.Contains(refused.ErrorCode, new[] { "SignatureDoesNotMatch", "BadDigest" });
        Assert.Empty(lab.Estate.S3.Keys);
    }

    [Fact]
    public async Task A_missing_object_is_404_and_another_bucket_does_not_exist()
    {
        await using var lab = await LabCloudFixture.StartAsync();
        using var s3 = lab.Client();

        var missing = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.GetObjectAsync(HostedEstate.Bucket, "nothing-here"));
        Assert.Equal(("NoSuchKey", HttpStatusCode.NotFound), (missing.ErrorCode, missing.StatusCode));
        var bucket = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.PutObjectAsync(new PutObjectRequest { BucketName = "someone-elses", Key = "k", ContentBody = "x" }));
        Assert.Equal("NoSuchBucket", bucket.ErrorCode);
    }

    [Fact]
    public async Task A_wrong_secret_is_refused_and_nothing_is_stored()
    {
        await using var lab = await LabCloudFixture.StartAsync();
        using var s3 = lab.Client(secret: lab.Estate.Credentials.SecretAccessKey[..^1] + (lab.Estate.Credentials.SecretAccessKey[^1] == 'x' ? "y" : "x"));

        var refused = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.PutObjectAsync(new PutObjectRequest { BucketName = HostedEstate.Bucket, Key = Key, ContentBody = "forged" }));

        Assert.Equal(("SignatureDoesNotMatch", HttpStatusCode.Forbidden), (refused.ErrorCode, refused.StatusCode));
        Assert.Empty(lab.Estate.S3.Keys);
    }

    [Fact]
    public async Task A_wrong_access_key_is_refused()
    {
        await using var lab = await LabCloudFixture.StartAsync();
        using var s3 = lab.Client(accessKeyId: "AKIAWRONGWRONGWRONG1");

        var refused = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = HostedEstate.Bucket }));

        Assert.Equal(("InvalidAccessKeyId", HttpStatusCode.Forbidden), (refused.ErrorCode, refused.StatusCode));
    }

    [Fact]
    public async Task Each_estate_has_its_own_key_pair()
    {
        await using var one = await LabCloudFixture.StartAsync();
        await using var two = await LabCloudFixture.StartAsync();
        Assert.NotEqual(one.Estate.Credentials.AccessKeyId, two.Estate.Credentials.AccessKeyId);
        Assert.NotEqual(one.Estate.Credentials.SecretAccessKey, two.Estate.Credentials.SecretAccessKey);
        Assert.DoesNotContain(one.Estate.Credentials.SecretAccessKey, one.Estate.Credentials.ToString(), StringComparison.Ordinal);

        // The other estate's (valid-looking) pair is a stranger here.
        using var stranger = new Amazon.S3.AmazonS3Client(new Amazon.Runtime.BasicAWSCredentials(two.Estate.Credentials.AccessKeyId, two.Estate.Credentials.SecretAccessKey), one.Config());
        var refused = await Assert.ThrowsAsync<AmazonS3Exception>(() => stranger.GetObjectMetadataAsync(HostedEstate.Bucket, Key));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task An_unsigned_request_is_refused()
    {
        await using var lab = await LabCloudFixture.StartAsync();
        lab.Estate.S3.Put(Key, "secret snapshot", lab.Time.GetUtcNow());
        using var http = new HttpClient();

        var response = await http.GetAsync(new Uri(lab.Endpoint.Address, $"{HostedEstate.Bucket}/{Key}"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("<Code>AccessDenied</Code>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>Flips one byte of the first chunk's data after the client signed and checksummed it.</summary>
    private sealed class TamperingClientFactory : Amazon.Runtime.HttpClientFactory
    {
        public override HttpClient CreateHttpClient(Amazon.Runtime.IClientConfig clientConfig) => new(new Tamper(new HttpClientHandler()));

        private sealed class Tamper(HttpMessageHandler inner) : DelegatingHandler(inner)
        {
            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                if (request.Method == HttpMethod.Put && request.Content is { } content)
                {
                    var body = await content.ReadAsByteArrayAsync(cancellationToken);
                    var dataStart = Array.IndexOf(body, (byte)'\n') + 1;
                    body[dataStart + 10] ^= 0x01;
                    var replaced = new ByteArrayContent(body);
                    foreach (var header in content.Headers) replaced.Headers.TryAddWithoutValidation(header.Key, header.Value);
                    request.Content = replaced;
                }
                return await base.SendAsync(request, cancellationToken);
            }
        }
    }
}
