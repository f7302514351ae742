using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using RecoveryConsole.Orchestration.Clusters;

namespace RecoveryConsole.Cloud.S3;

/// <summary>An AWSSDK.S3 client for a cluster's account: SigV4 in the account's region, path-style on a given endpoint.</summary>
internal static class S3Clients
{
    public static AmazonS3Client For(CloudAccount account)
    {
        var config = new AmazonS3Config
        {
            // One retry: an operator waits on this step, and a refusal (wrong secret) never gets better by repeating it.
            MaxErrorRetry = 1,
            Timeout = TimeSpan.FromMinutes(30),
        };
        if (account.Endpoint is { } endpoint)
        {
            // An S3-compatible endpoint (the lab's, a private one): path-style, since bucket sub-domains need DNS there.
            config.ServiceURL = endpoint.ToString();
            config.ForcePathStyle = true;
            config.AuthenticationRegion = account.Region;
        }
        else config.RegionEndpoint = RegionEndpoint.GetBySystemName(account.Region);
        return new AmazonS3Client(new BasicAWSCredentials(account.AccessKeyId, account.SecretAccessKey), config);
    }
}
