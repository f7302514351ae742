using RecoveryConsole.Lab.Hosts;
using RecoveryConsole.Lab.Ocp4.Etcd;
using RecoveryConsole.Lab.Shell;

namespace RecoveryConsole.Lab.Ocp4.Commands;

/// <summary>
/// GNU tar reading the backups' static_kuberesources tarballs: <c>-t</c> lists members, <c>-x</c> extracts them (to
/// the directory of <c>-C</c>, or with <c>-O</c> to stdout), members narrow either (a directory member takes what is
/// under it). Flags come bundled (<c>-xzOf</c>, old-style <c>tzf</c>) or apart. Failures print GNU tar's (and gzip's)
/// messages and exit 2. Only the lab's backup archive format is a tarball; any other file is not gzip (or not tar).
/// </summary>
internal sealed class TarCommand : ILabCommand
{
    private const int Fatal = 2;

    public string Name => "tar";

    public async Task<int> RunAsync(LabCommandContext context)
    {
        var (flags, file, directory, members, error) = Parse(context.Args);
        if (error is not null) return await FailAsync(context, error, "Try 'tar --help' or 'tar --usage' for more information.").ConfigureAwait(false);
        var list = flags.Contains('t');
        var extract = flags.Contains('x');
        if (list == extract || flags.Contains('c'))
            return await FailAsync(context, "tar: the lab reads archives only: give one of -t (list) or -x (extract)").ConfigureAwait(false);
        if (file is null) return await FailAsync(context, "tar: Refusing to read archive contents from terminal (missing -f option?)", "tar: Error is not recoverable: exiting now").ConfigureAwait(false);
        if (list && flags.Contains('v')) return await FailAsync(context, "tar: the lab lists member names only (-t without -v)").ConfigureAwait(false);

        var files = context.Host.FileSystem;
        var path = context.ResolvePath(file);
        if (files.DirectoryExists(path))
            return await FailAsync(context, $"tar: {file}: Cannot read: Is a directory", "tar: At beginning of tape, quitting now", "tar: Error is not recoverable: exiting now").ConfigureAwait(false);
        if (!files.TryReadFile(path, out var text))
            return await FailAsync(context, $"tar: {file}: Cannot open: No such file or directory", "tar: Error is not recoverable: exiting now").ConfigureAwait(false);
        if (!text.StartsWith(BackupArchive.Header, StringComparison.Ordinal))
        {
            // GNU tar detects compression from the data when reading a file; -z insists on gzip.
            return flags.Contains('z')
                ? await FailAsync(context, "", "gzip: stdin: not in gzip format", "tar: Child returned status 1", "tar: Error is not recoverable: exiting now").ConfigureAwait(false)
                : await FailAsync(context, "tar: This does not look like a tar archive", "tar: Exiting with failure status due to previous errors").ConfigureAwait(false);
        }
        if (BackupArchive.Parse(text) is not { } archive)
            return await FailAsync(context, "", "gzip: stdin: unexpected end of file", "tar: Unexpected EOF in archive", "tar: Unexpected EOF in archive", "tar: Error is not recoverable: exiting now").ConfigureAwait(false);

        var target = context.ResolvePath(directory ?? ".");
        if (extract && !flags.Contains('O') && !files.DirectoryExists(target))
            return await FailAsync(context, $"tar: {directory}: Cannot open: No such file or directory", "tar: Error is not recoverable: exiting now").ConfigureAwait(false);

        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in archive.Members())
        {
            var wanted = members.FirstOrDefault(m => Covers(m, member));
            if (members.Count > 0 && wanted is null) continue;
            if (wanted is not null) found.Add(wanted);
            var isDirectory = member.EndsWith('/');
            if (list || flags.Contains('v')) await context.OutAsync(member).ConfigureAwait(false);
            if (!extract || isDirectory) continue;
            var content = archive.Entries[member];
            if (flags.Contains('O')) await context.Stdout.WriteAsync(content, context.CancellationToken).ConfigureAwait(false);
            else files.WriteFile(LabFileSystem.Normalize(member, target), content);
        }
        var missing = members.Where(m => !found.Contains(m)).ToList();
        if (missing.Count == 0) return 0;
        foreach (var member in missing) await context.ErrAsync($"tar: {member}: Not found in archive").ConfigureAwait(false);
        await context.ErrAsync("tar: Exiting with failure status due to previous errors").ConfigureAwait(false);
        return Fatal;
    }

    /// <summary>A member operand names that member, or a directory and everything under it.</summary>
    private static bool Covers(string operand, string member)
    {
        var name = operand.TrimEnd('/');
        var m = member.TrimEnd('/');
        return m == name || m.StartsWith(name + "/", StringComparison.Ordinal);
    }

    private static async Task<int> FailAsync(LabCommandContext context, params string[] lines)
    {
        foreach (var line in lines) await context.ErrAsync(line).ConfigureAwait(false);
        return Fatal;
    }

    private static (HashSet<char> Flags, string? File, string? Directory, List<string> Members, string? Error) Parse(IReadOnlyList<string> args)
    {
        var flags = new HashSet<char>();
        string? file = null, directory = null, error = null;
        var members = new List<string>();
        var queue = new Queue<string>(args);
        var first = true;
        while (queue.Count > 0)
        {
            var arg = queue.Dequeue();
            var oldStyle = first && arg.Length > 0 && !arg.StartsWith('-'); // "tar tzf FILE"
            first = false;
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                var (name, value) = arg.Contains('=') ? (arg[..arg.IndexOf('=')], arg[(arg.IndexOf('=') + 1)..]) : (arg, (string?)null);
                switch (name)
                {
                    case "--list": flags.Add('t'); break;
                    case "--extract" or "--get": flags.Add('x'); break;
                    case "--gzip" or "--gunzip": flags.Add('z'); break;
                    case "--to-stdout": flags.Add('O'); break;
                    case "--verbose": flags.Add('v'); break;
                    case "--file": file = value ?? (queue.Count > 0 ? queue.Dequeue() : null); break;
                    case "--directory": directory = value ?? (queue.Count > 0 ? queue.Dequeue() : null); break;
                    default: error ??= $"tar: unrecognized option '{arg}'"; break;
                }
                continue;
            }
            if (!oldStyle && (!arg.StartsWith('-') || arg == "-"))
            {
                members.Add(arg);
                continue;
            }
            var letters = oldStyle ? arg : arg[1..];
            for (var i = 0; i < letters.Length; i++)
            {
                var c = letters[i];
                if (c is 'f' or 'C')
                {
                    // The value is the rest of the cluster ("-fFILE"), else the next argument.
                    var value = !oldStyle && i + 1 < letters.Length ? letters[(i + 1)..] : queue.Count > 0 ? queue.Dequeue() : null;
                    if (value is null) error ??= $"tar: option requires an argument -- '{c}'";
                    if (c == 'f') file = value;
                    else directory = value;
                    if (!oldStyle) break;
                    continue;
                }
                if ("txczOvp".Contains(c)) flags.Add(c);
                else error ??= $"tar: invalid option -- '{c}'";
            }
        }
        return (flags, file, directory, members, error);
    }
}
