using RecoveryConsole.Web.Accounts;
using RecoveryConsole.Web.Api;

namespace RecoveryConsole.Web.Hosting;

/// <summary>Builds the console: one registration per part, then middleware and endpoints. Program.cs and tests both call it.</summary>
public static class ConsoleHost
{
    /// <param name="configure">Tests add what they observe (a log sink) before the app is built.</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // The app's own assembly, not the test host's: static web assets (_framework, _content) are found by it.
            ApplicationName = typeof(ConsoleHost).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
        });
        // Outside Development too: Radzen's files under _content/ come from the static web assets manifest.
        builder.WebHost.UseStaticWebAssets();

        var options = ConsoleOptions.From(builder.Configuration);
        builder.Services
            .AddConsoleStore(options)
            .AddConsoleAccounts(options)
            .AddConsoleRuns(options, builder.Environment.ContentRootPath)
            .AddConsoleWeb()
            .AddConsoleApi()
            .AddConsoleProxyHeaders(options);
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseConsoleWeb();
        app.MapConsoleEndpoints();
        return app;
    }
}
