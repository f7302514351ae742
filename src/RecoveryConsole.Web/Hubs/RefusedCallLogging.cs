using Microsoft.AspNetCore.SignalR;
using RecoveryConsole.Web.Runs;

namespace RecoveryConsole.Web.Hubs;

/// <summary>
/// The one place that logs failed hub calls. A refusal (no role, bad parameters, wrong state) is the caller's business:
/// one information line with its reason, no stack trace, so a client looping on a bad call cannot fill the disk.
/// Anything else is a fault and is logged as an error with its exception. (SignalR's own per-call error log is
/// switched off in <see cref="Hosting.ConsoleServiceCollectionExtensions.AddConsoleWeb"/>.)
/// </summary>
public sealed class RefusedCallLogging(ILogger<RefusedCallLogging> logger) : IHubFilter
{
    private const int MaxReasonLength = 300;

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            return await next(invocationContext);
        }
        catch (Exception e) when (e is HubException || CommandErrors.IsForUser(e))
        {
            var reason = e is HubException ? e.Message : CommandErrors.Describe(e);
            logger.LogInformation("Refused {Method} for {User}: {Reason}", invocationContext.HubMethodName,
                invocationContext.Context.User?.Identity?.Name ?? "anonymous", Shorten(reason));
            throw e as HubException ?? new HubException(reason);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "{Method} failed for {User}", invocationContext.HubMethodName, invocationContext.Context.User?.Identity?.Name ?? "anonymous");
            throw;
        }
    }

    private static string Shorten(string reason) => reason.Length <= MaxReasonLength ? reason : reason[..MaxReasonLength] + "…";
}
