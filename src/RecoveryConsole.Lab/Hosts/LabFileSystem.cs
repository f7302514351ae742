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
    }

    public void CreateDirectory(string path)
    {
        var normalized = Normalize(path);
        lock (_gate)
        {
            if (_files.ContainsKey(normalized)) throw new IOException($"{normalized}: File exists");
            AddDirectoryChain(normalized);
        }
    }

    /// <summary>Removes a file, or a directory with everything under it.</summary>
    public bool Delete(string path)
    {
        var normalized = Normalize(path);
        lock (_gate)
        {
            if (_files.Remove(normalized)) return true;
            if (normalized == "/" || !_directories.Remove(normalized)) return false;
            var prefix = normalized + "/";
            _files.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList().ForEach(k => _files.Remove(k));
            _directories.RemoveWhere(d => d.StartsWith(prefix, StringComparison.Ordinal));
            return true;
        }
    }

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
