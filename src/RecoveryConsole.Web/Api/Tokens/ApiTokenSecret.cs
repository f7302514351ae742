using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace RecoveryConsole.Web.Api.Tokens;

/// <summary>
/// The secret of a personal API token: "rc_" and 32 random bytes in base64url. The console keeps only its SHA-256; a
/// presented token is looked up by that hash and compared in constant time.
/// </summary>
public static class ApiTokenSecret
{
    public const string Prefix = "rc_";
    private const int Bytes = 32;
    /// <summary>"rc_" and 43 base64url characters.</summary>
    public const int Length = 3 + 43;

    public static string New() => Prefix + WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(Bytes));

    public static bool LooksLikeOne(string value) =>
        value.Length == Length && value.StartsWith(Prefix, StringComparison.Ordinal)
        && value.AsSpan(Prefix.Length).IndexOfAnyExcept("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") < 0;

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static bool SameHash(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(a), Encoding.ASCII.GetBytes(b));
}
