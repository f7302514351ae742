using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Procedures.Model;

namespace RecoveryConsole.Orchestration.Actions;

/// <summary>
/// "Wait a few minutes and check again", as the documents say it: poll on the run's clock (virtual in lab tests), print a
/// line only when the status changes, fail with the last status when the timeout passes.
/// </summary>
internal static class Polling
{
    public static async Task UntilAsync(ActionContext context, string what, TimeSpan every, TimeSpan timeout,
        Func<Task<(bool Done, string Status)>> check, CancellationToken cancellationToken)
    {
        var deadline = context.Clock.GetUtcNow() + timeout;
        string? last = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (done, status) = await check();
            if (status != last) context.Output.Line(OutputStream.Stdout, status);
            last = status;
            if (done) return;
            if (context.Clock.GetUtcNow() + every > deadline)
                throw new StepFailedException($"{what} did not happen within {Durations.Format(timeout)} (last: {status}).");
            await Task.Delay(every, context.Clock, cancellationToken);
        }
    }

    public static TimeSpan Every(ActionContext context, TimeSpan fallback) => Durations.ParseOr(context.Argument("every", ""), fallback);

    public static TimeSpan Timeout(ActionContext context, TimeSpan fallback) =>
        Durations.ParseOr(context.Argument("timeout", ""), context.Timeout ?? fallback);
}
