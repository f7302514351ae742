using System.Security.Cryptography;
using System.Text;

namespace RecoveryConsole.Transports.Ssh.HostKeys;

/// <summary>Reads known_hosts lines and matches host names the way ssh does, including hashed (<c>|1|salt|hash</c>) names.</summary>
internal static class KnownHostsFile
{
    public sealed record Entry(int LineNumber, string Line, string Hosts, string KeyType, string PublicKey);

    public static IReadOnlyList<Entry> Parse(IEnumerable<string> lines)
    {
        var entries = new List<Entry>();
        var number = 0;
        foreach (var raw in lines)
        {
            number++;
            var line = raw.Trim();
            // Comments, blank lines and @cert-authority / @revoked markers are kept in the file but are not plain trust entries.
            if (line.Length == 0 || line[0] is '#' or '@') continue;
            var fields = line.Split([' ', '\t'], 4, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 3) continue;
            entries.Add(new Entry(number, raw, fields[0], fields[1], fields[2]));
        }
        return entries;
    }

    public static bool Matches(string hostsField, string hostName)
    {
        if (hostsField.StartsWith("|1|", StringComparison.Ordinal)) return HashedMatches(hostsField, hostName);
        return hostsField.Split(',').Any(p => string.Equals(p, hostName, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>|1|base64(salt)|base64(HMAC-SHA1(salt, name)), as HashKnownHosts writes it.</summary>
    private static bool HashedMatches(string field, string hostName)
    {
        var parts = field.Split('|');
        if (parts.Length != 4) return false;
        try
        {
            var salt = Convert.FromBase64String(parts[2]);
            var expected = Convert.FromBase64String(parts[3]);
            return CryptographicOperations.FixedTimeEquals(HMACSHA1.HashData(salt, Encoding.UTF8.GetBytes(hostName)), expected);
        }
        catch (FormatException) { return false; }
    }
}
