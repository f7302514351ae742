using System.Globalization;

namespace RecoveryConsole.Lab.Shell.Commands;

/// <summary>sleep NUMBER[smhd]...: waits the sum through the lab clock, so TimeScale shortens it and cancel ends it.</summary>
internal sealed class SleepCommand : ILabCommand
{
    public string Name => "sleep";

    public async Task<int> RunAsync(LabCommandContext context)
    {
        if (context.Args.Count == 0)
        {
            await context.ErrAsync("sleep: missing operand").ConfigureAwait(false);
            return 1;
        }
        double seconds = 0;
        foreach (var arg in context.Args)
        {
            if (!TryParse(arg, out var value))
            {
                await context.ErrAsync($"sleep: invalid time interval '{arg}'").ConfigureAwait(false);
                return 1;
            }
            seconds += value;
        }
        var duration = seconds >= TimeSpan.MaxValue.TotalSeconds ? TimeSpan.MaxValue : TimeSpan.FromSeconds(seconds);
        await context.Clock.DelayAsync(duration, context.CancellationToken).ConfigureAwait(false);
        return 0;
    }

    private static bool TryParse(string arg, out double seconds)
    {
        var unit = arg.Length > 0 ? arg[^1] switch { 's' => 1, 'm' => 60, 'h' => 3600, 'd' => 86400, _ => 0 } : 0;
        var number = unit == 0 ? arg : arg[..^1];
        if (unit == 0) unit = 1;
        var ok = double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out seconds);
        seconds *= unit;
        return ok && double.IsFinite(seconds);
    }
}
