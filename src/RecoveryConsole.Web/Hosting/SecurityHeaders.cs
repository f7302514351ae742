namespace RecoveryConsole.Web.Hosting;

/// <summary>
/// Headers every response carries (pages, static files, exports, errors): a Content-Security-Policy that lets the
/// Blazor Server app load only its own scripts and talk only to its own origin, no framing, no MIME sniffing, no
/// referrer leaving the console.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>
    /// Scripts only from this origin: blazor.web.js, Radzen and the app's own need neither inline script nor eval.
    /// Radzen sets style attributes, hence 'unsafe-inline' for styles only. The circuit's WebSocket is named
    /// explicitly as well as by 'self', for browsers whose 'self' does not cover ws:/wss:.
    /// </summary>
    public static string ContentSecurityPolicy(HostString host) =>
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
        + $"connect-src 'self'{(host.HasValue ? $" ws://{host} wss://{host}" : "")}; "
        + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        // Set when the response starts, so that whatever produces it (static files, endpoints, the error page) has them.
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy(context.Request.Host);
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            return Task.CompletedTask;
        });
        await next(context);
    });
}
