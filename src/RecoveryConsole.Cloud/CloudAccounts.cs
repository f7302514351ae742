using RecoveryConsole.Orchestration.Actions;
using RecoveryConsole.Orchestration.Clusters;
using RecoveryConsole.Orchestration.Engine;

namespace RecoveryConsole.Cloud;

/// <summary>The step's cluster's AWS account: the only source of credentials for cloud steps.</summary>
internal static class CloudAccounts
{
    public static CloudAccount Of(ActionContext context) => context.Cloud
        ?? throw new StepFailedException($"Cluster {context.Cluster?.Name ?? "(none)"} has no cloud account: register its AWS account (access key, secret, region) before running cloud steps.");

    /// <summary>Where S3 requests go, as the operator should read it in a message.</summary>
    public static string S3Endpoint(CloudAccount account) =>
        account.Endpoint?.ToString() ?? $"https://s3.{account.Region}.amazonaws.com/";
}
