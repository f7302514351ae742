using RecoveryConsole.Lab.Shell;

namespace RecoveryConsole.Lab.Ocp4.Commands;

/// <summary>Prints lines computed under the model's lock once the lock is released.</summary>
internal static class CommandOutput
{
    public static async Task<int> PrintAsync(LabCommandContext context, int code, IEnumerable<OutLine> lines)
    {
        foreach (var line in lines)
        {
            if (line.Error) await context.ErrAsync(line.Text).ConfigureAwait(false);
            else await context.OutAsync(line.Text).ConfigureAwait(false);
        }
        return code;
    }

    /// <summary>Options of the form --name=value or --name value, and short flags; the rest are positional.</summary>
    public sealed class Options
    {
        private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);
        private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

        public List<string> Positional { get; } = [];
        public string? Error { get; private set; }

        public static Options Parse(IReadOnlyList<string> args, IEnumerable<string> valued, IEnumerable<string> flags)
        {
            var withValue = valued.ToHashSet(StringComparer.Ordinal);
            var booleans = flags.ToHashSet(StringComparer.Ordinal);
            var options = new Options();
            for (var i = 0; i < args.Count; i++)
            {
                var arg = args[i];
                if (arg == "--")
                {
                    options.Positional.AddRange(args.Skip(i + 1));
                    break;
                }
                if (!arg.StartsWith('-') || arg == "-")
                {
                    options.Positional.Add(arg);
                    continue;
                }
                var eq = arg.IndexOf('=');
                var name = eq > 0 ? arg[..eq] : arg;
                if (withValue.Contains(name))
                {
                    string? value = eq > 0 ? arg[(eq + 1)..] : i + 1 < args.Count ? args[++i] : null;
                    if (value is null)
                    {
                        options.Error ??= $"flag needs an argument: {name}";
                        continue;
                    }
                    if (!options._values.TryGetValue(name, out var list)) options._values[name] = list = [];
                    list.Add(value);
                }
                else if (booleans.Contains(name))
                {
                    options._flags.Add(name);
                }
                else if (!name.StartsWith("--", StringComparison.Ordinal) && name.Length > 2 && name[1..].All(c => booleans.Contains("-" + c)))
                {
                    foreach (var c in name[1..]) options._flags.Add("-" + c);
                }
                else
                {
                    options.Error ??= $"unknown flag: {name}";
                }
            }
            return options;
        }

        public bool Has(params string[] names) => names.Any(_flags.Contains);

        public string? Value(params string[] names) => names.Select(n => _values.GetValueOrDefault(n)?.LastOrDefault()).FirstOrDefault(v => v is not null);

        public IReadOnlyList<string> Values(params string[] names) => names.SelectMany(n => _values.GetValueOrDefault(n) ?? []).ToList();
    }
}
