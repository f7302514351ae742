using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RecoveryConsole.Lab.Ocp4;

/// <summary>
/// A certificate of the simulation, written to disk as PEM whose body the lab can read back (subject, issuer,
/// validity): the kubelet finds out from its files whether it must bootstrap, and the API server from the issuer
/// whether it trusts a client. Not real cryptography.
/// </summary>
internal sealed record LabCertificate(string Subject, string Issuer, DateTimeOffset NotBefore, DateTimeOffset NotAfter)
{
    private const string Begin = "-----BEGIN CERTIFICATE-----";
    private const string End = "-----END CERTIFICATE-----";

    public bool IsValidAt(DateTimeOffset now) => NotBefore <= now && now < NotAfter;

    public string ToPem()
    {
        var json = new JsonObject
        {
            ["subject"] = Subject,
            ["issuer"] = Issuer,
            ["notBefore"] = Stamp(NotBefore),
            ["notAfter"] = Stamp(NotAfter),
        }.ToJsonString();
        return Begin + "\n" + Wrap(Convert.ToBase64String(Encoding.UTF8.GetBytes(json))) + End + "\n";
    }

    /// <summary>A certificate and a (fake) key in one file, as kubelet-client-current.pem holds them.</summary>
    public string ToPemWithKey(string keySeed) =>
        ToPem() + "-----BEGIN EC PRIVATE KEY-----\n" + Wrap(Convert.ToBase64String(Encoding.UTF8.GetBytes("lab-key:" + keySeed + ":" + Subject))) + "-----END EC PRIVATE KEY-----\n";

    /// <summary>Every lab certificate in a PEM text (a bundle holds several); unreadable blocks are skipped.</summary>
    public static List<LabCertificate> ParseAll(string? pem)
    {
        var result = new List<LabCertificate>();
        if (string.IsNullOrEmpty(pem)) return result;
        var at = 0;
        while ((at = pem.IndexOf(Begin, at, StringComparison.Ordinal)) >= 0)
        {
            var end = pem.IndexOf(End, at, StringComparison.Ordinal);
            if (end < 0) break;
            var body = pem[(at + Begin.Length)..end].Replace("\n", "", StringComparison.Ordinal).Trim();
            at = end + End.Length;
            try
            {
                var json = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(body)));
                result.Add(new LabCertificate(
                    (string?)json?["subject"] ?? "",
                    (string?)json?["issuer"] ?? "",
                    DateTimeOffset.Parse((string?)json?["notBefore"] ?? "", CultureInfo.InvariantCulture),
                    DateTimeOffset.Parse((string?)json?["notAfter"] ?? "", CultureInfo.InvariantCulture)));
            }
            catch (Exception e) when (e is FormatException or JsonException or ArgumentNullException)
            {
                // Not one of the lab's: an unreadable certificate counts as none.
            }
        }
        return result;
    }

    public static LabCertificate? Parse(string? pem) => ParseAll(pem).FirstOrDefault();

    public static string Stamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Wrap(string base64)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < base64.Length; i += 64) sb.Append(base64, i, Math.Min(64, base64.Length - i)).Append('\n');
        return sb.ToString();
    }
}
