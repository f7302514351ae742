using Amazon.Runtime;
using Amazon.S3;
using RecoveryConsole.Lab.Cloud;
using RecoveryConsole.Lab.Hosted;

namespace RecoveryConsole.Lab.Tests.Cloud;

/// <summary>
/// An estate of its own with its cloud endpoint on 127.0.0.1, on a virtual clock that starts at the real time (the AWS
/// client signs with the machine's clock), and the real AWSSDK.S3 client pointed at it.
/// </summary>
internal sealed class LabCloudFixture : IAsyncDisposable
{
    private LabCloudFixture(VirtualTimeProvider time, HostedEstate estate, LabCloudEndpoint endpoint)
    {
        Time = time;
        Estate = estate;
        Endpoint = endpoint;
    }

    public VirtualTimeProvider Time { get; }
    public HostedEstate Estate { get; }
    public LabCloudEndpoint Endpoint { get; }

    public static async Task<LabCloudFixture> StartAsync()
    {
        var time = new VirtualTimeProvider(DateTimeOffset.UtcNow);
        var estate = HostedEstate.Create(time);
        return new LabCloudFixture(time, estate, await LabCloudEndpoint.StartAsync(estate));
    }

    /// <summary>The real client, path-style on the endpoint; no retries, so a refusal is seen once and at once.</summary>
    public AmazonS3Client Client(string? accessKeyId = null, string? secret = null) =>
        new(new BasicAWSCredentials(accessKeyId ?? Estate.Credentials.AccessKeyId, secret ?? Estate.Credentials.SecretAccessKey), Config());

    public AmazonS3Config Config() => new()
    {
        ServiceURL = Endpoint.Address.ToString(),
        ForcePathStyle = true,
        AuthenticationRegion = LabCloudCredentials.Region,
        MaxErrorRetry = 0,
    };

    public ValueTask DisposeAsync() => Endpoint.DisposeAsync();
}
