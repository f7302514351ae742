namespace RecoveryConsole.Lab.Shell.Commands;

/// <summary>cut -d DELIM -f LIST [FILE...]: fields (1-based; N, N-M, N-, -M, comma-separated); a line without the delimiter is printed whole, as coreutils does.</summary>
internal sealed class CutCommand : ILabCommand
{
    public string Name => "cut";

    public async Task<int> RunAsync(LabCommandContext context)
    {
        string? delimiter = null, list = null;
        var operands = new List<string>();
        var args = context.Args;
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            if (a.StartsWith("-d", StringComparison.Ordinal)) delimiter = a.Length > 2 ? a[2..] : i + 1 < args.Count ? args[++i] : null;
            else if (a.StartsWith("-f", StringComparison.Ordinal)) list = a.Length > 2 ? a[2..] : i + 1 < args.Count ? args[++i] : null;
            else operands.Add(a);
        }
        delimiter ??= "\t";
        if (delimiter.Length != 1)
        {
            await context.ErrAsync("cut: the delimiter must be a single character").ConfigureAwait(false);
            return 1;
        }
        if (list is null || ParseList(list) is not { } ranges)
        {
            await context.ErrAsync(list is null ? "cut: you must specify a list of bytes, characters, or fields" : $"cut: invalid field value ‘{list}’").ConfigureAwait(false);
            return 1;
        }
        if (operands.Count == 0) operands.Add("-");
        var status = 0;
        foreach (var operand in operands)
        {
            var input = await context.OpenInputAsync(operand).ConfigureAwait(false);
            if (input is null)
            {
                status = 1;
                continue;
            }
            await foreach (var line in input.ReadLinesAsync(context.CancellationToken).ConfigureAwait(false))
            {
                if (!line.Contains(delimiter[0]))
                {
                    await context.OutAsync(line).ConfigureAwait(false);
                    continue;
                }
                var fields = line.Split(delimiter[0]);
                var chosen = fields.Where((_, i) => ranges.Any(r => i + 1 >= r.From && i + 1 <= r.To));
                await context.OutAsync(string.Join(delimiter, chosen)).ConfigureAwait(false);
            }
        }
        return status;
    }

    private static List<(int From, int To)>? ParseList(string list)
    {
        var ranges = new List<(int, int)>();
        foreach (var part in list.Split(','))
        {
            var dash = part.IndexOf('-');
            var from = dash < 0 ? part : part[..dash];
            var to = dash < 0 ? part : part[(dash + 1)..];
            int f = 1, t = int.MaxValue;
            if (from.Length > 0 && !int.TryParse(from, out f) || to.Length > 0 && !int.TryParse(to, out t) || f < 1 || (dash < 0 && from.Length == 0)) return null;
            ranges.Add((f, dash < 0 ? f : t));
        }
        return ranges;
    }
}
