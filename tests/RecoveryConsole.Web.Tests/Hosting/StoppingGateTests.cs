using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RecoveryConsole.Web.Hosting;
using RecoveryConsole.Web.Hubs;

namespace RecoveryConsole.Web.Tests.Hosting;

/// <summary>
/// The gate's pipeline as the console builds it, with a lifetime that is stopping: sessions of pages and of hub clients
/// may not start or rejoin (they would hold the stop and look alive); everything else still gets through.
/// </summary>
public sealed class StoppingGateTests
{
    private static async Task<(int Status, bool ReachedApp)> SendAsync(bool stopping, string path)
    {
        using var stop = new CancellationTokenSource();
        if (stopping) await stop.CancelAsync();
        var services = new ServiceCollection().AddSingleton<IHostApplicationLifetime>(new Lifetime(stop.Token)).BuildServiceProvider();
        var reached = false;
        var app = new ApplicationBuilder(services);
        app.UseStoppingGate();
        app.Run(context => { reached = true; context.Response.StatusCode = 200; return Task.CompletedTask; });
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Path = path;
        await app.Build()(context);
        return (context.Response.StatusCode, reached);
    }

    [Theory]
    [InlineData("/_blazor/negotiate")]
    [InlineData(RunHub.Path + "/negotiate")]
    [InlineData(RunHub.Path)]
    public async Task A_stopping_console_refuses_page_and_hub_sessions_with_503_and_lets_them_through_otherwise(string path)
    {
        Assert.Equal((503, false), await SendAsync(stopping: true, path));
        Assert.Equal((200, true), await SendAsync(stopping: false, path));
    }

    [Fact]
    public async Task Other_requests_still_reach_the_console_while_it_stops()
    {
        Assert.Equal((200, true), await SendAsync(stopping: true, "/runs/00000000-0000-0000-0000-000000000000/transcript.txt"));
        Assert.Equal((200, true), await SendAsync(stopping: true, "/hubs/runsx"));
    }

    private sealed class Lifetime(CancellationToken stopping) : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;
        public CancellationToken ApplicationStopping => stopping;
        public CancellationToken ApplicationStopped => CancellationToken.None;
        public void StopApplication() { }
    }
}
