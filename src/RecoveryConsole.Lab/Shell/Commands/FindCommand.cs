using System.Text;
using System.Text.RegularExpressions;

namespace RecoveryConsole.Lab.Shell.Commands;

/// <summary>
/// find PATH... [-mindepth N] [-maxdepth N] [-type f|d] [-name GLOB] [-print | -printf FORMAT]: entries under the paths
/// in the lab's (sorted) order. -printf knows %p (the path), %P (the path below the starting point), %f (the name), \n and \t.
/// </summary>
internal sealed class FindCommand : ILabCommand
{
    public string Name => "find";

    public async Task<int> RunAsync(LabCommandContext context)
    {
        var args = context.Args;
        var starts = args.TakeWhile(a => !a.StartsWith('-')).ToList();
        int minDepth = 0, maxDepth = int.MaxValue;
        char? type = null;
        Regex? name = null;
        string? format = null;
        for (var i = starts.Count; i < args.Count; i++)
        {
            var option = args[i];
            var value = i + 1 < args.Count ? args[i + 1] : null;
            if (option is "-print") continue;
            if (value is null)
            {
                await context.ErrAsync($"find: missing argument to `{option}'").ConfigureAwait(false);
                return 1;
            }
            i++;
            switch (option)
            {
                case "-mindepth" when int.TryParse(value, out var min): minDepth = min; break;
                case "-maxdepth" when int.TryParse(value, out var max): maxDepth = max; break;
                case "-type" when value is "f" or "d": type = value[0]; break;
                case "-name": name = new Regex("^" + Regex.Escape(value).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant); break;
                case "-printf": format = value; break;
                default:
                    await context.ErrAsync($"find: unknown predicate `{option}'").ConfigureAwait(false);
                    return 1;
            }
        }
        if (starts.Count == 0) starts.Add(".");

        var files = context.Host.FileSystem;
        var status = 0;
        foreach (var start in starts)
        {
            var root = context.ResolvePath(start);
            if (!files.DirectoryExists(root) && !files.FileExists(root))
            {
                await context.ErrAsync($"find: ‘{start}’: No such file or directory").ConfigureAwait(false);
                status = 1;
                continue;
            }
            foreach (var (path, isDirectory) in Walk(files, root))
            {
                var below = path == root ? "" : path[(root.TrimEnd('/').Length + 1)..];
                var depth = below.Length == 0 ? 0 : below.Count(c => c == '/') + 1;
                if (depth < minDepth || depth > maxDepth) continue;
                if (type == 'f' && isDirectory || type == 'd' && !isDirectory) continue;
                var shown = below.Length == 0 ? start : start.TrimEnd('/') + "/" + below;
                if (name is not null && !name.IsMatch(Hosts.LabFileSystem.NameOf(path))) continue;
                if (format is null) await context.OutAsync(shown).ConfigureAwait(false);
                else await context.Stdout.WriteAsync(Printf(format, shown, below, Hosts.LabFileSystem.NameOf(path)), context.CancellationToken).ConfigureAwait(false);
            }
        }
        return status;
    }

    private static IEnumerable<(string Path, bool IsDirectory)> Walk(Hosts.LabFileSystem files, string path)
    {
        if (!files.DirectoryExists(path))
        {
            yield return (path, false);
            yield break;
        }
        yield return (path, true);
        foreach (var entry in files.List(path) ?? [])
            foreach (var found in Walk(files, path.TrimEnd('/') + "/" + entry)) yield return found;
    }

    private static string Printf(string format, string path, string below, string name)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            var next = i + 1 < format.Length ? format[i + 1] : '\0';
            if (c == '%' && next is 'p' or 'P' or 'f' or '%')
            {
                sb.Append(next switch { 'p' => path, 'P' => below, 'f' => name, _ => "%" });
                i++;
            }
            else if (c == '\\' && next is 'n' or 't' or '\\')
            {
                sb.Append(next switch { 'n' => '\n', 't' => '\t', _ => '\\' });
                i++;
            }
            else sb.Append(c);
        }
        return sb.ToString();
    }
}
