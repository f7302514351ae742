namespace RecoveryConsole.Web.Hosting;

/// <summary>
/// Once the console is stopping, pages may not rejoin their sessions. SignalR closes the open circuits when the stop
/// begins, and blazor.web.js reconnects at once: without this the page rejoins the circuit on the stopping console,
/// looks alive, and holds the stop until the host's shutdown timeout kills it. Refused, the page shows "Connection
/// lost" straight away and, once a new console answers, that its session ended.
/// </summary>
public static class StoppingGate
{
    public static IApplicationBuilder UseStoppingGate(this IApplicationBuilder app)
    {
        var stopping = app.ApplicationServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        return app.Use(async (context, next) =>
        {
            // Hub clients likewise: a script reconnecting to a stopping console would follow a run that is about to stop.
            if (stopping.IsCancellationRequested && (context.Request.Path.StartsWithSegments("/_blazor") || context.Request.Path.StartsWithSegments(Hubs.RunHub.Path)))
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                context.Response.Headers.Connection = "close";
                return;
            }
            await next(context);
        });
    }
}
