using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace RecoveryConsole.Orchestration.Audit;

/// <summary>
/// The hash of an audit entry over the previous hash and the entry's fields, in a fixed layout. Entries are keyed:
/// HMAC-SHA256 with the console's chain key, which is not in the database, so a chain rebuilt by someone who can write
/// the database does not verify. <see cref="HashOf"/> is the older unkeyed rule (plain SHA-256), still used to verify the
/// entries written before the chain became keyed (everything before the <see cref="ChainedFactKinds.ChainKeyed"/> entry).
/// </summary>
public static class AuditChain
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>The unkeyed rule: anyone can compute it, which is why it is kept only for the entries before the boundary.</summary>
    public static string HashOf(AuditEvent e, string previousHash) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Layout(e, previousHash))));

    public static string MacOf(AuditEvent e, string previousHash, byte[] key) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(Layout(e, previousHash))));

    public static void Link(AuditEvent e, string previousHash, byte[] key) => e.Chain(previousHash, MacOf(e, previousHash, key));

    private static string Layout(AuditEvent e, string previousHash) => string.Join('\n',
        previousHash,
        e.Time.UtcTicks.ToString(CultureInfo.InvariantCulture),
        e.Actor, e.Kind, e.RunId?.ToString("N") ?? "", e.Detail);
}
