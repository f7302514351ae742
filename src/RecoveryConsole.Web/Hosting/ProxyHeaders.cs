using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace RecoveryConsole.Web.Hosting;

/// <summary>
/// Behind the TLS proxy of deploy/ (nginx on the same host) the console sees plain HTTP from 127.0.0.1; the proxy's
/// X-Forwarded-Proto and X-Forwarded-For say what the browser used, so cookies are Secure and the audit records the
/// client's address. Only proxies on loopback, or those listed in Console:TrustedProxies, are believed.
/// </summary>
public static class ProxyHeaders
{
    public static IServiceCollection AddConsoleProxyHeaders(this IServiceCollection services, ConsoleOptions options)
    {
        var proxies = options.TrustedProxies.Select(Parse).ToList();
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // The defaults (127.0.0.0/8 and ::1) stay: the documented proxy runs on the console's own host.
            foreach (var proxy in proxies) o.KnownProxies.Add(proxy);
        });
        return services;
    }

    private static IPAddress Parse(string value) => IPAddress.TryParse(value.Trim(), out var address) ? address
        : throw new InvalidOperationException($"Console:TrustedProxies: '{value}' is not an IP address (list the reverse proxy's own addresses).");
}
