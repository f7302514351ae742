using System.Text;
using System.Text.RegularExpressions;
using RecoveryConsole.Lab.Hosts;

namespace RecoveryConsole.Lab.Shell.Commands;

/// <summary>
/// What the file commands share: the user core may change only its home and /tmp (everything else needs sudo), and
/// glob patterns the lab shell leaves unexpanded (<c>rm -f /var/lib/ovn-ic/etc/*.db</c>) are expanded here as bash would.
/// </summary>
internal static class FileCommandSupport
{
    public static bool MayWrite(LabCommandContext context, string normalizedPath) => MayWrite(context.Host, context.Privileged, normalizedPath);

    /// <summary>The same rule for the lab's file transfers (<see cref="LabHostTransport"/>), where sudo is an option, not a word.</summary>
    public static bool MayWrite(LabHost host, bool privileged, string normalizedPath) =>
        privileged
        || normalizedPath == host.HomeDirectory || normalizedPath.StartsWith(host.HomeDirectory + "/", StringComparison.Ordinal)
        || normalizedPath == "/tmp" || normalizedPath.StartsWith("/tmp/", StringComparison.Ordinal);

    public static bool HasGlob(string word) => word.IndexOfAny(['*', '?', '[']) >= 0;

    /// <summary>The operand's matches sorted as bash sorts them; the operand itself when it has no glob or nothing matches.</summary>
    public static IReadOnlyList<string> Expand(LabCommandContext context, string operand)
    {
        if (BraceExpansion.Expand(operand) is { Count: > 1 } words) return words.SelectMany(w => Expand(context, w)).ToList();
        if (!HasGlob(operand)) return [operand];
        var absolute = operand.StartsWith('/');
        var segments = operand.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var candidates = new List<string> { absolute ? "" : "." };
        foreach (var segment in segments)
        {
            var next = new List<string>();
            foreach (var prefix in candidates)
            {
                if (!HasGlob(segment))
                {
                    next.Add(Join(prefix, segment));
                    continue;
                }
                var directory = context.ResolvePath(prefix.Length == 0 ? "/" : prefix);
                var regex = new Regex("^" + GlobToRegex(segment) + "$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
                foreach (var name in context.Host.FileSystem.List(directory) ?? [])
                {
                    if (name.StartsWith('.') && !segment.StartsWith('.')) continue;
                    if (regex.IsMatch(name)) next.Add(Join(prefix, name));
                }
            }
            candidates = next;
        }
        var matches = candidates
            .Where(c => context.Host.FileSystem.FileExists(context.ResolvePath(c)) || context.Host.FileSystem.DirectoryExists(context.ResolvePath(c)))
            .Select(c => c.StartsWith("./", StringComparison.Ordinal) ? c[2..] : c)
            .Order(StringComparer.Ordinal)
            .ToList();
        return matches.Count == 0 ? [operand] : matches;
    }

    private static string Join(string prefix, string name) => prefix.Length == 0 ? "/" + name : prefix + "/" + name;

    private static string GlobToRegex(string glob)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            switch (c)
            {
                case '*': sb.Append("[^/]*"); break;
                case '?': sb.Append("[^/]"); break;
                case '[':
                    var end = glob.IndexOf(']', i + 1);
                    if (end < 0)
                    {
                        sb.Append(@"\[");
                        break;
                    }
                    var set = glob[(i + 1)..end];
                    if (set.StartsWith('!')) set = "^" + set[1..];
                    sb.Append('[').Append(set.Replace(@"\", @"\\", StringComparison.Ordinal)).Append(']');
                    i = end;
                    break;
                default: sb.Append(Regex.Escape(c.ToString())); break;
            }
        }
        return sb.ToString();
    }

    /// <summary>Splits "-rfv" style flags from operands ("--" ends options); unknown flags give an error text.</summary>
    public static (HashSet<char> Flags, List<string> Operands, string? Error) Parse(IReadOnlyList<string> args, string allowed, IReadOnlyDictionary<string, char>? longOptions = null)
    {
        var flags = new HashSet<char>();
        var operands = new List<string>();
        var done = false;
        foreach (var arg in args)
        {
            if (done || arg.Length < 2 || arg[0] != '-')
            {
                operands.Add(arg);
                continue;
            }
            if (arg == "--")
            {
                done = true;
                continue;
            }
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (longOptions is not null && longOptions.TryGetValue(arg, out var mapped))
                {
                    flags.Add(mapped);
                    continue;
                }
                return (flags, operands, $"unrecognized option '{arg}'");
            }
            foreach (var flag in arg[1..])
            {
                if (!allowed.Contains(flag)) return (flags, operands, $"invalid option -- '{flag}'");
                flags.Add(flag);
            }
        }
        return (flags, operands, null);
    }

    public static string Name(string normalizedPath) => LabFileSystem.NameOf(normalizedPath);
}
