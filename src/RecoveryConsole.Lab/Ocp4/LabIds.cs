using System.Security.Cryptography;
using System.Text;

namespace RecoveryConsole.Lab.Ocp4;

/// <summary>
/// Identifiers of a simulated cluster (container ids, etcd member and cluster ids, name suffixes), drawn from a
/// generator seeded by the cluster's name so that a drill replays the same way every time.
/// </summary>
internal sealed class LabIds
{
    private const string SuffixAlphabet = "bcdfghjklmnpqrstvwxz2456789";
    private readonly Random _random;

    public LabIds(string seed) => _random = new Random(StableHash(seed));

    /// <summary>FNV-1a: string.GetHashCode differs between processes.</summary>
    public static int StableHash(string text)
    {
        unchecked
        {
            var hash = 2166136261u;
            foreach (var c in text)
            {
                hash ^= c;
                hash *= 16777619;
            }
            return (int)hash;
        }
    }

    /// <summary>A full 64-bit id; etcd ids above 2^63 are common, so consumers must parse them as unsigned.</summary>
    public ulong NextUInt64()
    {
        Span<byte> bytes = stackalloc byte[8];
        _random.NextBytes(bytes);
        var value = BitConverter.ToUInt64(bytes);
        return value == 0 ? 1 : value;
    }

    public string Hex(int length)
    {
        var sb = new StringBuilder(length);
        while (sb.Length < length) sb.Append(NextUInt64().ToString("x16", System.Globalization.CultureInfo.InvariantCulture));
        return sb.ToString(0, length);
    }

    /// <summary>A Kubernetes generateName suffix such as "x7k2p".</summary>
    public string Suffix(int length = 5)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++) chars[i] = SuffixAlphabet[_random.Next(SuffixAlphabet.Length)];
        return new string(chars);
    }

    public Guid NextGuid()
    {
        Span<byte> bytes = stackalloc byte[16];
        _random.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40); // version 4
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }

    /// <summary>A stable sha256 hex digest of a name, for image ids.</summary>
    public static string Digest(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
