using System.Globalization;

namespace RecoveryConsole.Lab.Shell.Commands;

/// <summary>Parses the "-n N", "-nN", "-N" and "-n +N" forms shared by head and tail.</summary>
internal static class LineCountOption
{
    public sealed record Parsed(long Count, bool FromStart, List<string> Operands);

    /// <summary>Returns null and reports on stderr when the arguments are invalid.</summary>
    public static async Task<Parsed?> ParseAsync(LabCommandContext context)
    {
        long count = 10;
        var fromStart = false;
        var operands = new List<string>();
        var args = context.Args;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string? value = null;
            if (arg == "-n")
            {
                if (++i >= args.Count)
                {
                    await context.ErrAsync($"{context.DisplayName}: option requires an argument -- 'n'").ConfigureAwait(false);
                    return null;
                }
                value = args[i];
            }
            else if (arg.StartsWith("-n", StringComparison.Ordinal)) value = arg[2..];
            else if (arg.Length > 1 && arg[0] == '-' && arg[1..].All(char.IsAsciiDigit)) value = arg[1..];
            else if (arg.Length > 1 && arg[0] == '-')
            {
                await context.ErrAsync($"{context.DisplayName}: invalid option -- '{arg[1]}'").ConfigureAwait(false);
                return null;
            }
            else
            {
                operands.Add(arg);
                continue;
            }

            fromStart = value.StartsWith('+');
            if (!long.TryParse(value.TrimStart('+'), NumberStyles.None, CultureInfo.InvariantCulture, out count))
            {
                await context.ErrAsync($"{context.DisplayName}: invalid number of lines: '{value}'").ConfigureAwait(false);
                return null;
            }
        }
        return new Parsed(count, fromStart, operands);
    }

    /// <summary>Runs <paramref name="body"/> per operand, with the "==&gt; name &lt;==" headers coreutils prints for several files.</summary>
    public static async Task<int> ForEachInputAsync(LabCommandContext context, List<string> operands, Func<ShellInput, Task> body)
    {
        if (operands.Count == 0) operands.Add("-");
        var status = 0;
        for (var i = 0; i < operands.Count; i++)
        {
            var input = await context.OpenInputAsync(operands[i]).ConfigureAwait(false);
            if (input is null)
            {
                status = 1;
                continue;
            }
            if (operands.Count > 1)
            {
                if (i > 0) await context.OutAsync("").ConfigureAwait(false);
                await context.OutAsync($"==> {(operands[i] == "-" ? "standard input" : operands[i])} <==").ConfigureAwait(false);
            }
            await body(input).ConfigureAwait(false);
        }
        return status;
    }
}
