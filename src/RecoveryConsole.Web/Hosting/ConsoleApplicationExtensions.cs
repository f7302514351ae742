using RecoveryConsole.Web.Accounts;
using RecoveryConsole.Web.Api;
using RecoveryConsole.Web.Artifacts;
using RecoveryConsole.Web.Components;
using RecoveryConsole.Web.Exports;
using RecoveryConsole.Web.Hubs;

namespace RecoveryConsole.Web.Hosting;

public static class ConsoleApplicationExtensions
{
    public static WebApplication UseConsoleWeb(this WebApplication app)
    {
        // First: the scheme and client address the proxy saw, then headers on every response, errors included.
        app.UseForwardedHeaders();
        app.UseSecurityHeaders();
        app.UseStoppingGate();
        app.UseApiBadRequestWords();
        if (!app.Environment.IsDevelopment()) app.UseExceptionHandler("/error", createScopeForErrors: true);
        app.UseStaticFiles();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        return app;
    }

    public static WebApplication MapConsoleEndpoints(this WebApplication app)
    {
        app.MapStaticAssets();
        app.MapGet("/healthz", () => Results.Text("ok")).AllowAnonymous();
        app.MapAccountEndpoints();
        app.MapExportEndpoints();
        app.MapArtifactEndpoints();
        app.MapConsoleApi();
        // A client that stops reading is not cut off after SignalR's 10 s send timeout: what the server holds for it is
        // bounded (the connection's pipe, 64 KB, and its queue of frames in the feed, shared with the other viewers), and a dead client is still found by
        // the hub's ClientTimeoutInterval (2 minutes without a ping from it).
        app.MapHub<RunHub>(RunHub.Path, o => o.TransportSendTimeout = Timeout.InfiniteTimeSpan);
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
