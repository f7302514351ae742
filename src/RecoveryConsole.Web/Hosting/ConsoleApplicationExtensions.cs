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
        app.MapHub<RunHub>(RunHub.Path);
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
