using System.Security.Cryptography;
using RecoveryConsole.Audit.Storage;

namespace RecoveryConsole.Audit.AuditTrail;

/// <summary>
/// The secret of the keyed audit chain (HMAC-SHA256): 32 random bytes in <c>keys/audit-chain.key</c> (0600, directory 0700),
/// created at first start and never written to the database, so whoever can only write the database cannot rebuild a
/// chain that verifies.
/// </summary>
public sealed class AuditChainKey
{
    public const string FileName = "audit-chain.key";
    private const int Length = 32;

    private AuditChainKey(byte[] key, bool created)
    {
        Bytes = key;
        CreatedNow = created;
    }

    public byte[] Bytes { get; }

    /// <summary>True when this start created the key: existing entries, if any, were chained by the old unkeyed rule.</summary>
    public bool CreatedNow { get; }

    public static AuditChainKey LoadOrCreate(string keysDirectory)
    {
        OwnerOnly.CreateDirectory(keysDirectory);
        var path = Path.Combine(keysDirectory, FileName);
        if (!File.Exists(path))
        {
            try
            {
                OwnerOnly.WriteNew(path, RandomNumberGenerator.GetBytes(Length));
                return new AuditChainKey(File.ReadAllBytes(path), created: true);
            }
            catch (IOException) when (File.Exists(path)) { } // another process created it first: use theirs
        }
        OwnerOnly.Tighten(path);
        var key = File.ReadAllBytes(path);
        if (key.Length != Length)
            throw new InvalidOperationException($"The audit chain key {path} is {key.Length} bytes, not {Length}: it was damaged. Restore it from a backup; without it the audit chain cannot be verified.");
        return new AuditChainKey(key, created: false);
    }
}
