using Amazon.S3;
using Amazon.S3.Model;
using RecoveryConsole.Lab.Cloud;
using RecoveryConsole.Lab.Hosted;
using RecoveryConsole.Lab.Tests.Hosted;

namespace RecoveryConsole.Lab.Tests.Cloud;

/// <summary>`curl -X PUT -T` from the hosted etcd pod to the lab's S3 endpoint: a presigned PUT is accepted, anything else refused.</summary>
[Trait("Category", "S3")]
[Trait("Category", "Security")]
public sealed class LabS3CurlUploadTests
{
    [Fact]
    public async Task Curl_uploads_with_a_presigned_put_and_is_refused_with_a_get_url_or_none()
    {
        var lab = new HostedHarness(start: DateTimeOffset.UtcNow);
        await using var cloud = await LabCloudEndpoint.StartAsync(lab.Estate);
        using var s3 = new AmazonS3Client(new Amazon.Runtime.BasicAWSCredentials(lab.Estate.Credentials.AccessKeyId, lab.Estate.Credentials.SecretAccessKey),
            new AmazonS3Config { ServiceURL = cloud.Address.ToString(), ForcePathStyle = true, AuthenticationRegion = LabCloudCredentials.Region, MaxErrorRetry = 0 });
        string Presign(string key, HttpVerb verb) => s3.GetPreSignedURL(new GetPreSignedUrlRequest
        {
            BucketName = HostedEstate.Bucket, Key = key, Verb = verb, Protocol = Protocol.HTTP, Expires = DateTime.UtcNow.AddHours(1),
        });
        await lab.MustExecAsync(HostedHarness.A, "etcd-0", "etcd", "env ETCDCTL_API=3 /usr/bin/etcdctl --cacert /etc/etcd/tls/client/etcd-client-ca.crt --cert /etc/etcd/tls/client/etcd-client.crt --key /etc/etcd/tls/client/etcd-client.key --endpoints=localhost:2379 snapshot save /var/lib/data/snapshot.db");

        var refusedGet = await lab.MustExecAsync(HostedHarness.A, "etcd-0", "etcd", $"curl -X PUT -T /var/lib/data/snapshot.db '{Presign("by-get.db", HttpVerb.GET)}'");
        var refusedBare = await lab.MustExecAsync(HostedHarness.A, "etcd-0", "etcd", $"curl -X PUT -T /var/lib/data/snapshot.db -H 'Authorization: AWS AKIALABEXAMPLE:c2lnbmF0dXJl' {cloud.Address}{HostedEstate.Bucket}/bare.db");
        await lab.MustExecAsync(HostedHarness.A, "etcd-0", "etcd", $"curl -X PUT -T /var/lib/data/snapshot.db '{Presign("by-put.db", HttpVerb.PUT)}'");

        Assert.Contains("<Code>SignatureDoesNotMatch</Code>", refusedGet, StringComparison.Ordinal);
        Assert.Contains("<Code>AccessDenied</Code>", refusedBare, StringComparison.Ordinal);
        Assert.Equal(["by-put.db"], lab.Estate.S3.Keys);
    }
}
