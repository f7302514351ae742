using Microsoft.Extensions.DependencyInjection;
using RecoveryConsole.Cloud.Route53;
using RecoveryConsole.Cloud.S3;
using RecoveryConsole.Orchestration;

namespace RecoveryConsole.Cloud;

public static class CloudServiceCollectionExtensions
{
    /// <summary>s3Upload, s3Status, s3Presign and waitForDnsRecordsGone, usable in procedure files.</summary>
    public static IServiceCollection AddCloudSteps(this IServiceCollection services)
    {
        services.AddStepAction<S3UploadAction>();
        services.AddStepAction<S3StatusAction>();
        services.AddStepAction<S3PresignAction>();
        services.AddStepAction<WaitForDnsRecordsGoneAction>();
        return services;
    }
}
