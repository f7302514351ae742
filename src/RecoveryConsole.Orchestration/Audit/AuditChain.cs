using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace RecoveryConsole.Orchestration.Audit;

/// <summary>The hash of an audit entry: SHA-256 over the previous hash and the entry's fields, in a fixed layout.</summary>
public static class AuditChain
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    public static string HashOf(AuditEvent e, string previousHash)
    {
        var text = string.Join('\n',
            previousHash,
            e.Time.UtcTicks.ToString(CultureInfo.InvariantCulture),
            e.Actor, e.Kind, e.RunId?.ToString("N") ?? "", e.Detail);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    public static void Link(AuditEvent e, string previousHash) => e.Chain(previousHash, HashOf(e, previousHash));
}
