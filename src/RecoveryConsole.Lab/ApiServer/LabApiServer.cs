using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using RecoveryConsole.Lab.Api;
using RecoveryConsole.Lab.Clusters;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Lab.ApiServer;

/// <summary>
/// A lab cluster's Kubernetes API as a real HTTPS endpoint on 127.0.0.1 (a random port): its own CA and serving
/// certificate, client-certificate or bearer-token authentication (401 otherwise), chunked watch streams and exec over
/// WebSocket. It writes a kubeconfig for itself, so the console's real Kubernetes client runs in every drill.
/// </summary>
public sealed class LabApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly LabApiServerOptions _options;
    private readonly LabWatchEndpoint _watch;
    private readonly LabExecEndpoint _exec;
    private readonly CancellationTokenSource _stopping = new();
    private int _disposed;

    private LabApiServer(LabKubernetesApi api, LabApiServerOptions options, LabCertificateAuthority authority, WebApplication app)
    {
        Api = api;
        Authority = authority;
        Users = new LabApiUsers(authority);
        _options = options;
        _app = app;
        _watch = new LabWatchEndpoint(api, options);
        _exec = new LabExecEndpoint(api, options);
    }

    public LabKubernetesApi Api { get; }
    public LabCertificateAuthority Authority { get; }
    public LabApiUsers Users { get; }
    public LabApiFaults Faults { get; } = new();

    /// <summary>https://127.0.0.1:{port}</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>Serves a lab cluster's API; pods' exec runs through the lab shell of the node they are on, unless a hook is set.</summary>
    public static Task<LabApiServer> StartAsync(LabCluster cluster, LabApiServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        cluster.Api.ExecHandler ??= LabExecHandlers.NodeShell(cluster.Transport, cluster.Info.FindHost);
        return StartAsync(cluster.Api, options, cancellationToken);
    }

    public static async Task<LabApiServer> StartAsync(LabKubernetesApi api, LabApiServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(api);
        options ??= new LabApiServerOptions();
        options.Validate();
        var authority = LabCertificateAuthority.Create();
        var serving = authority.IssueServerCertificate(["localhost"], [IPAddress.Loopback]);

        // The empty builder reads no appsettings.json or environment: nothing of the console's own settings leaks in.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddLogging();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = 16 * 1024 * 1024;
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(new HttpsConnectionAdapterOptions
            {
                ServerCertificate = serving,
                // Asked for, not required, and checked per request: like kube-apiserver, a missing or foreign
                // certificate is an unauthenticated request (401), not a failed handshake.
                ClientCertificateMode = ClientCertificateMode.AllowCertificate,
                ClientCertificateValidation = (_, _, _) => true,
            }));
        });
        var app = builder.Build();
        var server = new LabApiServer(api, options, authority, app);
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        app.Run(server.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        server.Address = new Uri(address);
        return server;
    }

    /// <summary>A kubeconfig for <paramref name="user"/> with a client certificate from this server's CA (system:admin in system:masters by default).</summary>
    public string CreateKubeconfig(string user = "system:admin", IReadOnlyList<string>? groups = null, LabKeyType keyType = LabKeyType.Ecdsa)
    {
        var credential = Authority.IssueClientCertificate(user, groups ?? ["system:masters"], keyType);
        return LabKubeconfig.Render(_options.ClusterName, Address, Authority.CertificatePem, user, new Dictionary<string, string>
        {
            ["client-certificate-data"] = LabKubeconfig.Base64(credential.CertificatePem),
            ["client-key-data"] = LabKubeconfig.Base64(credential.PrivateKeyPem),
        });
    }

    /// <summary>A kubeconfig that authenticates with a bearer token (see <see cref="LabApiUsers.AddToken"/>).</summary>
    public string CreateTokenKubeconfig(string user, string token) =>
        LabKubeconfig.Render(_options.ClusterName, Address, Authority.CertificatePem, user, new Dictionary<string, string> { ["token"] = token });

    /// <summary>Writes <see cref="CreateKubeconfig"/> to <paramref name="path"/>, readable by the owner only.</summary>
    public async Task WriteKubeconfigAsync(string path, string user = "system:admin", IReadOnlyList<string>? groups = null, CancellationToken cancellationToken = default)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        await using var file = new FileStream(path, options);
        await using var writer = new StreamWriter(file);
        await writer.WriteAsync(CreateKubeconfig(user, groups).AsMemory(), cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _stopping.CancelAsync().ConfigureAwait(false); // ends open watches and execs now, not after a grace period
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
        Authority.Dispose();
    }

    // Every request: authenticate (401), injected faults, reviews, RBAC (403), then exec, watch or a plain call.
    private async Task HandleAsync(HttpContext context)
    {
        using var stop = _stopping.Token.Register(context.Abort);
        if (!Api.Available)
        {
            context.Abort(); // a server that is down answers nothing: the client sees a transport failure
            return;
        }

        var target = context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget;
        var method = context.Request.Method;
        var identity = Users.Authenticate(context);
        var record = new LabApiRequestRecord(method, target, identity?.Name);
        Faults.Record(record);
        if (identity is null)
        {
            await LabApiResponses.WriteAsync(context, KubeStatus.Failure(401, "Unauthorized", "Unauthorized")).ConfigureAwait(false);
            return;
        }
        if (Faults.Take(record) is { } fault)
        {
            await LabApiResponses.WriteAsync(context, Injected(fault.Status), fault.RetryAfterSeconds).ConfigureAwait(false);
            return;
        }

        var path = target.Split('?', 2)[0];
        var watch = context.Request.Query["watch"].ToString() is "1" or "true";
        var body = await ReadBodyAsync(context).ConfigureAwait(false);
        var early = LabApiAuthorizer.IsReview(path)
            ? method == "POST" ? LabApiAuthorizer.Review(identity, path, body) : KubeStatus.MethodNotAllowed().ToResponse()
            : LabApiAuthorizer.Deny(identity, method, path, watch);
        if (early is not null)
        {
            await LabApiResponses.WriteAsync(context, early).ConfigureAwait(false);
            return;
        }

        try
        {
            if (method == "GET" && (watch || ResourcePath.Parse(path) is { Resource: "pods", Subresource: "exec" }))
                await StreamAsync(context, target, watch).ConfigureAwait(false);
            else
                await LabApiResponses.WriteAsync(context, await Api.SendAsync(new ApiRequest(method, target, body, context.Request.ContentType), context.RequestAborted).ConfigureAwait(false)).ConfigureAwait(false);
        }
        catch (ApiUnreachableException)
        {
            context.Abort(); // no simulated kube-apiserver runs: the connection just breaks
        }
    }

    private async Task StreamAsync(HttpContext context, string target, bool watch)
    {
        // A simulated control plane decides about streams as about any other request.
        if (Api.AdmitStream(target) is { } refused)
            await LabApiResponses.WriteAsync(context, refused).ConfigureAwait(false);
        else if (watch)
            await _watch.HandleAsync(context, target).ConfigureAwait(false);
        else
            await _exec.HandleAsync(context, target).ConfigureAwait(false);
    }

    private static ApiResponse Injected(int status)
    {
        var reason = status switch
        {
            409 => "Conflict", 410 => "Expired", 429 => "TooManyRequests", 503 => "ServiceUnavailable", 504 => "Timeout", _ => "InternalError",
        };
        return KubeStatus.Failure(status, reason, status == 410 ? "too old resource version" : $"the lab injected a fault (HTTP {status})");
    }

    private static async Task<string?> ReadBodyAsync(HttpContext context)
    {
        if (context.Request.ContentLength is 0 || (context.Request.ContentLength is null && !context.Request.Headers.TransferEncoding.Any())) return null;
        using var reader = new StreamReader(context.Request.Body);
        return await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
    }
}
