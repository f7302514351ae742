using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using RecoveryConsole.Lab.Hosted;

namespace RecoveryConsole.Lab.Cloud;

/// <summary>
/// A hosted estate's AWS account over plain HTTP on 127.0.0.1 (a random port): S3 path-style
/// (http://127.0.0.1:PORT/bucket/key: PUT, GET, HEAD object, ListObjectsV2) and Route53's ListResourceRecordSets, both
/// verifying SigV4 (header or presigned) with the estate's key pair against the lab's clock. Once it serves, the estate's
/// bucket hands out and fetches URLs of this endpoint, so a drill's restoreSnapshotURL is judged here too.
/// </summary>
public sealed class LabCloudEndpoint : IAsyncDisposable
{
    /// <summary>Uploads larger than this are refused (etcd snapshots of the lab are a few KiB).</summary>
    public const long MaxObjectBytes = 64L * 1024 * 1024;

    private readonly WebApplication _app;
    private int _disposed;

    private LabCloudEndpoint(HostedEstate estate, WebApplication app)
    {
        Estate = estate;
        _app = app;
    }

    public HostedEstate Estate { get; }

    /// <summary>The x-amz-content-sha256 of the last upload (how the client framed its body).</summary>
    public string? LastPayloadHash => _s3?.LastPayloadHash;

    private LabS3Handler? _s3;

    /// <summary>http://127.0.0.1:{port}/</summary>
    public Uri Address { get; private set; } = null!;

    public static async Task<LabCloudEndpoint> StartAsync(HostedEstate estate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(estate);
        // The empty builder reads no appsettings.json or environment: nothing of the console's own settings leaks in.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddLogging();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = MaxObjectBytes * 2; // aws-chunked framing adds a little
            kestrel.Listen(IPAddress.Loopback, 0);
        });
        var app = builder.Build();
        var endpoint = new LabCloudEndpoint(estate, app);
        var s3 = endpoint._s3 = new LabS3Handler(estate);
        var route53 = new LabRoute53Handler(estate);
        app.Run(context =>
        {
            // AWS answers with its own time in Date; a client whose clock is off corrects by it (the AWS SDK does, after
            // RequestTimeTooSkewed). The lab's time is the estate's (virtual in tests, scaled in a rehearsal).
            context.Response.Headers.Date = estate.Time.GetUtcNow().ToString("r", System.Globalization.CultureInfo.InvariantCulture);
            var target = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
            return target.StartsWith(LabRoute53Handler.PathPrefix, StringComparison.Ordinal) ? route53.HandleAsync(context, target) : s3.HandleAsync(context, target);
        });
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        endpoint.Address = new Uri(new Uri(address).GetLeftPart(UriPartial.Authority) + "/");
        estate.S3.Endpoint = endpoint.Address;
        return endpoint;
    }

    /// <summary>The request's headers by lower-case name, repeated ones joined with ',' (as SigV4 canonicalises them).</summary>
    internal static Dictionary<string, string> HeadersOf(HttpRequest request) =>
        request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(',', h.Value.ToArray()), StringComparer.Ordinal);

    internal static async Task WriteXmlAsync(HttpResponse response, int status, string xml)
    {
        response.StatusCode = status;
        response.Headers["x-amz-request-id"] = LabCloudErrors.RequestId;
        if (HttpMethods.IsHead(response.HttpContext.Request.Method)) return; // HEAD: status only, as S3 answers
        response.ContentType = "application/xml";
        await response.WriteAsync(xml).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        if (Estate.S3.Endpoint == Address) Estate.S3.Endpoint = null;
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
