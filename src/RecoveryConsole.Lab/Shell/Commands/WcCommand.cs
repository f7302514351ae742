using System.Globalization;

namespace RecoveryConsole.Lab.Shell.Commands;

/// <summary>wc [-lwc] [FILE...]: counts lines (newline-terminated ones, like wc), words and bytes of stdin or files.</summary>
internal sealed class WcCommand : ILabCommand
{
    public string Name => "wc";

    public async Task<int> RunAsync(LabCommandContext context)
    {
        bool lines = false, words = false, bytes = false;
        var operands = new List<string>();
        foreach (var arg in context.Args)
        {
            if (arg.Length < 2 || arg[0] != '-')
            {
                operands.Add(arg);
                continue;
            }
            foreach (var flag in arg[1..])
            {
                switch (flag)
                {
                    case 'l': lines = true; break;
                    case 'w': words = true; break;
                    case 'c': bytes = true; break;
                    default:
                        await context.ErrAsync($"wc: invalid option -- '{flag}'").ConfigureAwait(false);
                        return 1;
                }
            }
        }
        if (!lines && !words && !bytes) lines = words = bytes = true;

        var status = 0;
        var totals = new long[3];
        var named = operands.Count > 0;
        if (!named) operands.Add("-");
        foreach (var operand in operands)
        {
            var input = await context.OpenInputAsync(operand).ConfigureAwait(false);
            if (input is null)
            {
                status = 1;
                continue;
            }
            var counts = new long[3];
            await foreach (var line in input.ReadLinesAsync(context.CancellationToken).ConfigureAwait(false))
            {
                // Lines from pipes and files are all counted as newline-terminated; an unterminated last line is rare in procedures.
                counts[0]++;
                counts[1] += line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
                counts[2] += System.Text.Encoding.UTF8.GetByteCount(line) + 1;
            }
            for (var i = 0; i < 3; i++) totals[i] += counts[i];
            await context.OutAsync(Format(counts, lines, words, bytes, named ? operand : null)).ConfigureAwait(false);
        }
        if (operands.Count > 1) await context.OutAsync(Format(totals, lines, words, bytes, "total")).ConfigureAwait(false);
        return status;
    }

    private static string Format(long[] counts, bool lines, bool words, bool bytes, string? name)
    {
        var selected = new List<long>();
        if (lines) selected.Add(counts[0]);
        if (words) selected.Add(counts[1]);
        if (bytes) selected.Add(counts[2]);
        // A single count is printed bare, which scripts compare against ("[ $(... | wc -l) -eq 0 ]").
        var text = selected.Count == 1
            ? selected[0].ToString(CultureInfo.InvariantCulture)
            : string.Join(' ', selected.Select(n => n.ToString(CultureInfo.InvariantCulture).PadLeft(7)));
        return name is null ? text : $"{text} {name}";
    }
}
