using System.Security.Cryptography;

namespace RecoveryConsole.Transports.Ssh.HostKeys;

/// <summary>OpenSSH's SHA256 fingerprint: base64 of SHA-256 over the key blob, without padding.</summary>
internal static class KeyFingerprint
{
    public static string? Of(string base64Blob)
    {
        try
        {
            return "SHA256:" + Convert.ToBase64String(SHA256.HashData(Convert.FromBase64String(base64Blob))).TrimEnd('=');
        }
        catch (FormatException) { return null; }
    }
}
