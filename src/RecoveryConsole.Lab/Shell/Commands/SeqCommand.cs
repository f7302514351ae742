using System.Globalization;

namespace RecoveryConsole.Lab.Shell.Commands;

/// <summary>seq [FIRST [INCREMENT]] LAST with integers; streams, so seq 1 1000000 never builds its output in memory.</summary>
internal sealed class SeqCommand : ILabCommand
{
    // Output may go to a fast pipe that never blocks, so seq checks the token itself too.
    private const int CancellationCheckInterval = 1024;

    public string Name => "seq";

    public async Task<int> RunAsync(LabCommandContext context)
    {
        var args = context.Args;
        if (args.Count is < 1 or > 3)
        {
            await context.ErrAsync(args.Count == 0 ? "seq: missing operand" : $"seq: extra operand '{args[3]}'").ConfigureAwait(false);
            return 1;
        }
        var numbers = new long[args.Count];
        for (var i = 0; i < args.Count; i++)
        {
            if (!long.TryParse(args[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out numbers[i]))
            {
                await context.ErrAsync($"seq: invalid floating point argument: '{args[i]}'").ConfigureAwait(false);
                return 1;
            }
        }
        var (first, increment, last) = numbers.Length switch
        {
            1 => (1L, 1L, numbers[0]),
            2 => (numbers[0], 1L, numbers[1]),
            _ => (numbers[0], numbers[1], numbers[2]),
        };
        if (increment == 0)
        {
            await context.ErrAsync($"seq: invalid Zero increment value: '{args[1]}'").ConfigureAwait(false);
            return 1;
        }

        var ct = context.CancellationToken;
        var count = 0;
        for (var n = first; increment > 0 ? n <= last : n >= last; n += increment)
        {
            if (++count % CancellationCheckInterval == 0) ct.ThrowIfCancellationRequested();
            await context.Stdout.WriteLineAsync(n.ToString(CultureInfo.InvariantCulture), ct).ConfigureAwait(false);
            if (increment > 0 ? n > long.MaxValue - increment : n < long.MinValue - increment) break;
        }
        return 0;
    }
}
