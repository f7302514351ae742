using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using RecoveryConsole.Clusters.Connections;
using RecoveryConsole.Lab;
using RecoveryConsole.Lab.Clusters;
using RecoveryConsole.Lab.Hosted;
using RecoveryConsole.Orchestration.Transcript;

namespace RecoveryConsole.Clusters.Tests.Connections;

/// <summary>The hosted estate's AWS account reaches the console as the management clusters' cloud credential, never in clear.</summary>
[Trait("Category", "S3")]
[Trait("Category", "Security")]
public sealed class LabEndpointsCloudTests
{
    [Fact]
    public async Task Management_clusters_carry_the_estates_served_account_and_its_secret_is_redacted()
    {
        var registry = new LabClusterRegistry(new LabOptions(), new VirtualTimeProvider(DateTimeOffset.UtcNow), LabClusterCatalog.HostedControlPlanes());
        var redactor = new Redactor();
        await using var endpoints = new LabEndpoints(registry, NullLogger<LabEndpoints>.Instance, redactor);
        await endpoints.StartAsync(CancellationToken.None);

        var source = endpoints.Connection(HostedEstate.SourceName)!.Cloud;
        var destination = endpoints.Connection(HostedEstate.DestinationName)!.Cloud;
        var estate = HostedEstate.Of(registry.FindLab(HostedEstate.SourceName)!);

        Assert.NotNull(source);
        Assert.Equal(source, destination); // one AWS account per estate
        Assert.Null(endpoints.Connection(HostedEstate.HostedName)!.Cloud); // the hosted cluster itself has none
        Assert.Equal((estate.Credentials.AccessKeyId, estate.Credentials.SecretAccessKey, estate.Route53.Id), (source.AccessKeyId, source.SecretAccessKey, source.HostedZoneId));
        Assert.Equal(IPAddress.Loopback.ToString(), source.Endpoint!.Host);
        Assert.DoesNotContain(source.SecretAccessKey, source.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(source.SecretAccessKey, redactor.Redact($"AWS_SECRET_ACCESS_KEY={source.SecretAccessKey}"), StringComparison.Ordinal);

        // Served and judging: an unsigned read of the bucket is refused.
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(source.Endpoint, $"{HostedEstate.Bucket}/anything"));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
