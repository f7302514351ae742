using System.Globalization;
using System.Text.RegularExpressions;

namespace RecoveryConsole.Lab.Shell.Commands;

/// <summary>
/// grep [-vEqciFno] [-m NUM] [-e PATTERN]... PATTERN [FILE...] and egrep (-o: each match on its own line; -m: stop after NUM selected lines). Exit 0 when a line was selected,
/// 1 when none, 2 on error (unless -q already found one), as GNU grep.
/// </summary>
internal sealed class GrepCommand(string name, bool extended) : ILabCommand
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(2);

    public string Name => name;

    private sealed class Options
    {
        public bool Invert, Quiet, Count, IgnoreCase, Fixed, LineNumbers, Extended, OnlyMatching;
        public long MaxCount = long.MaxValue;
        public List<string> Patterns { get; } = [];
        public List<string> Operands { get; } = [];
    }

    public async Task<int> RunAsync(LabCommandContext context)
    {
        var options = new Options { Extended = extended };
        var parseError = ParseArguments(context.Args, options);
        if (parseError is not null || options.Patterns.Count == 0)
        {
            if (parseError is not null) await context.ErrAsync($"{Name}: {parseError}").ConfigureAwait(false);
            await context.ErrAsync($"Usage: {Name} [OPTION]... PATTERNS [FILE]...").ConfigureAwait(false);
            return 2;
        }

        List<Regex> regexes;
        try
        {
            var regexOptions = RegexOptions.CultureInvariant | (options.IgnoreCase ? RegexOptions.IgnoreCase : RegexOptions.None);
            regexes = options.Patterns
                .Select(p => new Regex(options.Fixed ? Regex.Escape(p) : PosixRegex.ToDotNet(p, options.Extended), regexOptions, MatchTimeout))
                .ToList();
        }
        catch (ArgumentException)
        {
            await context.ErrAsync($"{Name}: Invalid regular expression").ConfigureAwait(false);
            return 2;
        }

        if (options.Operands.Count == 0) options.Operands.Add("-");
        var showNames = options.Operands.Count > 1;
        var anySelected = false;
        var failed = false;
        foreach (var operand in options.Operands)
        {
            var input = await context.OpenInputAsync(operand).ConfigureAwait(false);
            if (input is null)
            {
                failed = true;
                continue;
            }
            var prefix = showNames ? (operand == "-" ? "(standard input)" : operand) + ":" : "";
            long lineNumber = 0, selected = 0;
            await foreach (var line in input.ReadLinesAsync(context.CancellationToken).ConfigureAwait(false))
            {
                lineNumber++;
                if (selected >= options.MaxCount) break;
                if (regexes.Any(r => r.IsMatch(line)) == options.Invert) continue;
                selected++;
                if (options.Quiet) return 0; // GNU grep -q stops reading at the first match
                if (!options.Count)
                {
                    var number = options.LineNumbers ? lineNumber.ToString(CultureInfo.InvariantCulture) + ":" : "";
                    if (!options.OnlyMatching || options.Invert) await context.OutAsync(prefix + number + line).ConfigureAwait(false);
                    else
                        foreach (var match in regexes.SelectMany(r => r.Matches(line)).Where(m => m.Length > 0).OrderBy(m => m.Index))
                            await context.OutAsync(prefix + number + match.Value).ConfigureAwait(false);
                }
            }
            if (options.Count) await context.OutAsync(prefix + selected.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
            anySelected |= selected > 0;
        }
        return failed ? 2 : anySelected ? 0 : 1;
    }

    /// <summary>Options may come after the pattern (GNU permutes arguments); "--" ends them. Returns an error text.</summary>
    private static string? ParseArguments(IReadOnlyList<string> args, Options options)
    {
        var operands = new List<string>();
        var optionsDone = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (optionsDone || arg.Length < 2 || arg[0] != '-')
            {
                operands.Add(arg);
                continue;
            }
            if (arg == "--")
            {
                optionsDone = true;
                continue;
            }
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (!SetLong(arg, options)) return $"unrecognized option '{arg}'";
                continue;
            }
            for (var j = 1; j < arg.Length; j++)
            {
                if (arg[j] == 'm')
                {
                    var count = j + 1 < arg.Length ? arg[(j + 1)..] : ++i < args.Count ? args[i] : null;
                    if (count is null) return "option requires an argument -- 'm'";
                    if (!long.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out options.MaxCount)) return "invalid max count";
                    break;
                }
                if (arg[j] == 'e')
                {
                    var pattern = j + 1 < arg.Length ? arg[(j + 1)..] : ++i < args.Count ? args[i] : null;
                    if (pattern is null) return "option requires an argument -- 'e'";
                    options.Patterns.Add(pattern);
                    break;
                }
                if (!SetShort(arg[j], options)) return $"invalid option -- '{arg[j]}'";
            }
        }
        if (options.Patterns.Count == 0 && operands.Count > 0)
        {
            options.Patterns.Add(operands[0]);
            operands.RemoveAt(0);
        }
        options.Operands.AddRange(operands);
        return null;
    }

    private static bool SetShort(char flag, Options o)
    {
        switch (flag)
        {
            case 'v': o.Invert = true; return true;
            case 'q': o.Quiet = true; return true;
            case 'c': o.Count = true; return true;
            case 'i': o.IgnoreCase = true; return true;
            case 'E': o.Extended = true; return true;
            case 'F': o.Fixed = true; return true;
            case 'n': o.LineNumbers = true; return true;
            case 'o': o.OnlyMatching = true; return true;
            default: return false;
        }
    }

    private static bool SetLong(string option, Options o) => option switch
    {
        "--invert-match" => SetShort('v', o),
        "--quiet" or "--silent" => SetShort('q', o),
        "--count" => SetShort('c', o),
        "--ignore-case" => SetShort('i', o),
        "--extended-regexp" => SetShort('E', o),
        "--fixed-strings" => SetShort('F', o),
        "--line-number" => SetShort('n', o),
        "--only-matching" => SetShort('o', o),
        _ => false,
    };
}
