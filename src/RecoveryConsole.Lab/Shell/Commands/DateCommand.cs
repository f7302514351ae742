using System.Globalization;
using System.Text;

namespace RecoveryConsole.Lab.Shell.Commands;

/// <summary>
/// date [-u] [--rfc-3339=date|seconds|ns] [+FORMAT]: the lab clock's time. Lab hosts run in UTC (as RHCOS does), so
/// -u changes nothing. FORMAT knows the conversions procedures use (%F %T %Y %m %d %H %M %S %N %s %z %Z %a %b %e %%).
/// </summary>
internal sealed class DateCommand : ILabCommand
{
    public string Name => "date";

    public async Task<int> RunAsync(LabCommandContext context)
    {
        var now = context.Clock.UtcNow.ToUniversalTime();
        string? format = "%a %b %e %H:%M:%S %Z %Y"; // coreutils' default in the C locale
        foreach (var arg in context.Args)
        {
            if (arg is "-u" or "--utc" or "--universal") continue;
            if (arg.StartsWith('+'))
            {
                format = arg[1..];
                continue;
            }
            if (arg.StartsWith("--rfc-3339=", StringComparison.Ordinal))
            {
                format = arg["--rfc-3339=".Length..] switch
                {
                    "date" => "%F",
                    "seconds" => "%F %T%:z",
                    "ns" => "%F %T.%N%:z",
                    _ => null,
                };
                if (format is null)
                {
                    await context.ErrAsync($"date: invalid argument '{arg["--rfc-3339=".Length..]}' for '--rfc-3339'").ConfigureAwait(false);
                    await context.ErrAsync("Valid arguments are:\n  - 'date'\n  - 'seconds'\n  - 'ns'").ConfigureAwait(false);
                    await context.ErrAsync("Try 'date --help' for more information.").ConfigureAwait(false);
                    return 1;
                }
                continue;
            }
            await context.ErrAsync($"date: invalid date '{arg}'").ConfigureAwait(false);
            return 1;
        }
        await context.OutAsync(Format(now, format)).ConfigureAwait(false);
        return 0;
    }

    internal static string Format(DateTimeOffset time, string format)
    {
        var t = time.UtcDateTime;
        var sb = new StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 == format.Length)
            {
                sb.Append(format[i]);
                continue;
            }
            var c = format[++i];
            if (c == ':' && i + 1 < format.Length && format[i + 1] == 'z')
            {
                i++;
                sb.Append("+00:00");
                continue;
            }
            sb.Append(c switch
            {
                'F' => t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                'T' => t.ToString("HH:mm:ss", CultureInfo.InvariantCulture),
                'Y' => t.ToString("yyyy", CultureInfo.InvariantCulture),
                'm' => t.ToString("MM", CultureInfo.InvariantCulture),
                'd' => t.ToString("dd", CultureInfo.InvariantCulture),
                'e' => t.Day.ToString(CultureInfo.InvariantCulture).PadLeft(2),
                'H' => t.ToString("HH", CultureInfo.InvariantCulture),
                'M' => t.ToString("mm", CultureInfo.InvariantCulture),
                'S' => t.ToString("ss", CultureInfo.InvariantCulture),
                'N' => ((t.Ticks % TimeSpan.TicksPerSecond) * 100).ToString("D9", CultureInfo.InvariantCulture),
                's' => time.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
                'z' => "+0000",
                'Z' => "UTC",
                'a' => t.ToString("ddd", CultureInfo.InvariantCulture),
                'b' => t.ToString("MMM", CultureInfo.InvariantCulture),
                '%' => "%",
                _ => "%" + c,
            });
        }
        return sb.ToString();
    }
}
