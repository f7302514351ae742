using System.Security.Cryptography;
using System.Text;

namespace RecoveryConsole.Lab.Hosts;

/// <summary>
/// A simulated host's files: absolute path -> content, plus the directories that exist.
/// Directories are implied by the files in them (every parent of a file exists) or created explicitly.
/// Locked because pipeline stages and parallel steps touch one host at once.
/// </summary>
public sealed class LabFileSystem
{
    private readonly object _gate = new();
    private readonly Dictionary<string, string> _files = new(StringComparer.Ordinal);
    private readonly HashSet<string> _directories = new(StringComparer.Ordinal) { "/" };

    /// <summary>Makes <paramref name="path"/> absolute against <paramref name="workingDirectory"/> and removes . .. and duplicate slashes.</summary>
    public static string Normalize(string path, string workingDirectory = "/")
    {
        var full = path.StartsWith('/') ? path : workingDirectory.TrimEnd('/') + "/" + path;
        var parts = new List<string>();
        foreach (var part in full.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".") continue;
            if (part == "..")
            {
                if (parts.Count > 0) parts.RemoveAt(parts.Count - 1);
                continue;
            }
            parts.Add(part);
        }
        return "/" + string.Join('/', parts);
    }

    public static string ParentOf(string normalizedPath)
    {
        var slash = normalizedPath.LastIndexOf('/');
        return slash <= 0 ? "/" : normalizedPath[..slash];
    }

    public static string NameOf(string normalizedPath) => normalizedPath[(normalizedPath.LastIndexOf('/') + 1)..];

    public bool FileExists(string path)
    {
        lock (_gate) return _files.ContainsKey(Normalize(path));
    }

    public bool DirectoryExists(string path)
    {
        lock (_gate) return _directories.Contains(Normalize(path));
    }

    public bool TryReadFile(string path, out string content)
    {
        lock (_gate) return _files.TryGetValue(Normalize(path), out content!);
    }

    /// <summary>The host's own sha256sum: SHA-256 (lower-case hex) of the stored content's UTF-8 bytes.</summary>
    public bool TryGetSha256(string path, out string sha256)
    {
        string? content;
        lock (_gate) _files.TryGetValue(Normalize(path), out content);
        sha256 = content is null ? "" : Sha256Of(content);
        return content is not null;
    }

    /// <summary>What sha256sum would print for a file holding <paramref name="content"/>.</summary>
    public static string Sha256Of(string content) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));

    /// <summary>Creates or replaces a file, creating its parent directories (seeding and simulated tools use this).</summary>
    public void WriteFile(string path, string content)
    {
        var normalized = Normalize(path);
        lock (_gate)
        {
            if (_directories.Contains(normalized)) throw new IOException($"{normalized}: Is a directory");
            AddDirectoryChain(ParentOf(normalized));
            _files[normalized] = content;
        }
        OnChanged(normalized);
    }

    public void AppendFile(string path, string text)
    {
        var normalized = Normalize(path);
        lock (_gate)
        {
            if (_directories.Contains(normalized)) throw new IOException($"{normalized}: Is a directory");
            AddDirectoryChain(ParentOf(normalized));
            _files[normalized] = _files.TryGetValue(normalized, out var existing) ? existing + text : text;
        }
        OnChanged(normalized);
    }

    public void CreateDirectory(string path)
    {
        var normalized = Normalize(path);
        lock (_gate)
        {
            if (_files.ContainsKey(normalized)) throw new IOException($"{normalized}: File exists");
            AddDirectoryChain(normalized);
        }
        OnChanged(normalized);
    }

    /// <summary>Removes a file, or a directory with everything under it.</summary>
    public bool Delete(string path)
    {
        var normalized = Normalize(path);
        lock (_gate)
        {
            if (!DeleteLocked(normalized)) return false;
        }
        OnChanged(normalized);
        return true;
    }

    /// <summary>
    /// Raised after every change (write, append, new directory, delete, move), outside the lock, with the path
    /// that changed: how the simulated kubelet notices a static pod manifest arriving or leaving.
    /// </summary>
    public event Action<string>? Changed;

    /// <summary>
    /// Renames a file or a directory with everything under it (<c>mv</c> within one filesystem). The target must not
    /// exist and its parent must; false when the source does not exist.
    /// </summary>
    public bool Move(string source, string target)
    {
        var from = Normalize(source);
        var to = Normalize(target);
        lock (_gate)
        {
            if (from == "/" || to == from) return false;
            if (_files.TryGetValue(from, out var content))
            {
                if (_directories.Contains(to)) throw new IOException($"{to}: Is a directory");
                if (!_directories.Contains(ParentOf(to))) throw new IOException($"{ParentOf(to)}: No such file or directory");
                _files.Remove(from);
                _files[to] = content;
            }
            else if (_directories.Contains(from))
            {
                if (to.StartsWith(from + "/", StringComparison.Ordinal)) throw new IOException($"cannot move '{from}' to a subdirectory of itself, '{to}'");
                if (_files.ContainsKey(to) || _directories.Contains(to)) throw new IOException($"{to}: File exists");
                if (!_directories.Contains(ParentOf(to))) throw new IOException($"{ParentOf(to)}: No such file or directory");
                var prefix = from + "/";
                foreach (var file in _files.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList())
                {
                    _files[to + file[from.Length..]] = _files[file];
                    _files.Remove(file);
                }
                foreach (var directory in _directories.Where(d => d == from || d.StartsWith(prefix, StringComparison.Ordinal)).ToList())
                {
                    _directories.Remove(directory);
                    _directories.Add(to + directory[from.Length..]);
                }
            }
            else
            {
                return false;
            }
        }
        OnChanged(from);
        OnChanged(to);
        return true;
    }

    /// <summary>Paths of all files at or under <paramref name="path"/>, sorted ordinally.</summary>
    public IReadOnlyList<string> FilesUnder(string path)
    {
        var normalized = Normalize(path);
        var prefix = normalized == "/" ? "/" : normalized + "/";
        lock (_gate)
        {
            return _files.Keys.Where(k => k == normalized || k.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        }
    }

    /// <summary>Empties the filesystem (a host re-provisioned from scratch).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _files.Clear();
            _directories.Clear();
            _directories.Add("/");
        }
        OnChanged("/");
    }

    private bool DeleteLocked(string normalized)
    {
        if (_files.Remove(normalized)) return true;
        if (normalized == "/" || !_directories.Remove(normalized)) return false;
        var prefix = normalized + "/";
        _files.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList().ForEach(k => _files.Remove(k));
        _directories.RemoveWhere(d => d.StartsWith(prefix, StringComparison.Ordinal));
        return true;
    }

    private void OnChanged(string path) => Changed?.Invoke(path);

    /// <summary>Names of the entries directly in a directory, sorted ordinally; null when it is not a directory.</summary>
    public IReadOnlyList<string>? List(string path)
    {
        var normalized = Normalize(path);
        lock (_gate)
        {
            if (!_directories.Contains(normalized)) return null;
            return _files.Keys.Concat(_directories)
                .Where(p => p != "/" && ParentOf(p) == normalized)
                .Select(NameOf)
                .Order(StringComparer.Ordinal)
                .ToList();
        }
    }

    /// <summary>A copy of all files, for inspection by tests and the lab's views.</summary>
    public IReadOnlyDictionary<string, string> Snapshot()
    {
        lock (_gate) return new Dictionary<string, string>(_files, StringComparer.Ordinal);
    }

    private void AddDirectoryChain(string directory)
    {
        // Check first so a failed write leaves no half-created directories behind.
        var missing = new List<string>();
        for (var d = directory; !_directories.Contains(d); d = ParentOf(d))
        {
            if (_files.ContainsKey(d)) throw new IOException($"{d}: Not a directory");
            missing.Add(d);
        }
        _directories.UnionWith(missing);
    }
}
