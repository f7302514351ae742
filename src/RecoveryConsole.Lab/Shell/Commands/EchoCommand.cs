using System.Text;

namespace RecoveryConsole.Lab.Shell.Commands;

/// <summary>echo [-neE] ARG...: -n drops the newline, -e interprets \n \t \\ and \c (stop).</summary>
internal sealed class EchoCommand : ILabCommand
{
    public string Name => "echo";

    public async Task<int> RunAsync(LabCommandContext context)
    {
        var newline = true;
        var escapes = false;
        var args = context.Args;
        var first = 0;
        // Like bash, only leading words made of n/e/E letters are options; "-x" is printed.
        for (; first < args.Count && args[first].Length > 1 && args[first][0] == '-' && args[first][1..].All(c => c is 'n' or 'e' or 'E'); first++)
        {
            foreach (var c in args[first][1..])
            {
                if (c == 'n') newline = false;
                else escapes = c == 'e';
            }
        }

        var text = string.Join(' ', args.Skip(first));
        if (escapes)
        {
            (text, var stop) = Unescape(text);
            if (stop) newline = false;
        }
        await context.Stdout.WriteAsync(newline ? text + "\n" : text, context.CancellationToken).ConfigureAwait(false);
        return 0;
    }

    internal static (string Text, bool Stop) Unescape(string text)
    {
        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\' || i + 1 >= text.Length)
            {
                sb.Append(text[i]);
                continue;
            }
            switch (text[++i])
            {
                case 'n': sb.Append('\n'); break;
                case 't': sb.Append('\t'); break;
                case 'r': sb.Append('\r'); break;
                case '\\': sb.Append('\\'); break;
                case 'c': return (sb.ToString(), true);
                default: sb.Append('\\').Append(text[i]); break;
            }
        }
        return (sb.ToString(), false);
    }
}
