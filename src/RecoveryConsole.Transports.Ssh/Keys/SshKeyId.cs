using System.Text.RegularExpressions;

namespace RecoveryConsole.Transports.Ssh.Keys;

/// <summary>Names of stored keys: safe as file names and in messages.</summary>
public static partial class SshKeyId
{
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\\z")]
    private static partial Regex Syntax();

    public static void Validate(string keyId)
    {
        if (keyId is null || !Syntax().IsMatch(keyId) || keyId.Contains("..", StringComparison.Ordinal))
            throw new ArgumentException($"'{keyId}' is not a valid key id (letters, digits, '.', '_' and '-', at most 64).", nameof(keyId));
    }
}
