using System.Text;

namespace RecoveryConsole.Transports.Ssh.Files;

/// <summary>
/// Reads <c>sha256sum -z</c> output: records "HASH  NAME" ended by NUL, with names unescaped (so a newline or a
/// backslash in a file name cannot shift the parsing).
/// </summary>
internal static class RemoteChecksums
{
    public static Dictionary<string, string> Parse(byte[] output)
    {
        var sums = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var record in Encoding.UTF8.GetString(output).Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            // 64 hex digits, a space, then ' ' (text mode) or '*' (binary mode), then the name.
            if (record.Length < 67 || record[64] != ' ') continue;
            var name = record[66..];
            if (name.StartsWith("./", StringComparison.Ordinal)) name = name[2..];
            sums[name] = record[..64].ToLowerInvariant();
        }
        return sums;
    }

    /// <summary>Compares what each side computed; returns one sentence per file that is not identical on both ends.</summary>
    public static List<string> Compare(IReadOnlyDictionary<string, string> local, IReadOnlyDictionary<string, string> remote, string localName, string remoteName)
    {
        var problems = new List<string>();
        foreach (var (path, sum) in local.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!remote.TryGetValue(path, out var other)) problems.Add($"{path}: present {localName} but missing {remoteName}");
            else if (other != sum) problems.Add($"{path}: SHA-256 {localName} {sum}, {remoteName} {other}");
        }
        foreach (var path in remote.Keys.Where(p => !local.ContainsKey(p)).Order(StringComparer.Ordinal))
            problems.Add($"{path}: present {remoteName} but missing {localName}");
        return problems;
    }
}
