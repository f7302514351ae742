using System.Globalization;

namespace RecoveryConsole.Lab.Shell.Commands;

/// <summary>
/// test / [: -f -d -e -s (files), -n -z (strings), = != (strings), -eq -ne -lt -le -gt -ge (integers), and a leading !.
/// Status 0 true, 1 false, 2 on a malformed expression.
/// </summary>
internal sealed class TestCommand(string name) : ILabCommand
{
    public string Name => name;

    public async Task<int> RunAsync(LabCommandContext context)
    {
        var args = context.Args.ToList();
        if (Name == "[")
        {
            if (args.Count == 0 || args[^1] != "]")
            {
                await context.ErrAsync("bash: [: missing `]'").ConfigureAwait(false);
                return 2;
            }
            args.RemoveAt(args.Count - 1);
        }
        var negate = args.Count > 1 && args[0] == "!";
        if (negate) args.RemoveAt(0);

        var (result, error) = Evaluate(args, context);
        if (error is not null)
        {
            await context.ErrAsync($"bash: {Name}: {error}").ConfigureAwait(false);
            return 2;
        }
        return result != negate ? 0 : 1;
    }

    private static (bool, string?) Evaluate(List<string> args, LabCommandContext context)
    {
        switch (args.Count)
        {
            case 0: return (false, null);
            case 1: return (args[0].Length > 0, null);
            case 2: return Unary(args[0], args[1], context);
            case 3: return Binary(args[0], args[1], args[2]);
            default: return (false, "too many arguments");
        }
    }

    private static (bool, string?) Unary(string op, string operand, LabCommandContext context)
    {
        var files = context.Host.FileSystem;
        var path = context.ResolvePath(operand);
        return op switch
        {
            "-f" => (files.FileExists(path), null),
            "-d" => (files.DirectoryExists(path), null),
            "-e" => (files.FileExists(path) || files.DirectoryExists(path), null),
            "-s" => (files.TryReadFile(path, out var content) && content.Length > 0, null),
            "-n" => (operand.Length > 0, null),
            "-z" => (operand.Length == 0, null),
            _ => (false, $"{op}: unary operator expected"),
        };
    }

    private static (bool, string?) Binary(string left, string op, string right)
    {
        switch (op)
        {
            case "=" or "==": return (left == right, null);
            case "!=": return (left != right, null);
        }
        if (op is not ("-eq" or "-ne" or "-lt" or "-le" or "-gt" or "-ge")) return (false, $"{op}: binary operator expected");
        if (!long.TryParse(left.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var a))
            return (false, $"{left}: integer expression expected");
        if (!long.TryParse(right.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var b))
            return (false, $"{right}: integer expression expected");
        return (op switch
        {
            "-eq" => a == b,
            "-ne" => a != b,
            "-lt" => a < b,
            "-le" => a <= b,
            "-gt" => a > b,
            _ => a >= b,
        }, null);
    }
}
