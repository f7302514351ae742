namespace RecoveryConsole.Transports.Ssh.Keys;

/// <summary>The public facts of a stored key: what the UI shows and what goes into the audit log. Never the private part.</summary>
/// <param name="Label">ssh-keygen's type name, e.g. ED25519, RSA.</param>
/// <param name="PublicKey">The public key line (<c>ssh-ed25519 AAAA... comment</c>) to put into authorized_keys.</param>
/// <param name="WasPassphraseProtected">The imported key had a passphrase; it was used once to unlock the key and not stored.</param>
public sealed record SshKeyInfo(string KeyId, string Label, int Bits, string Fingerprint, string PublicKey, DateTimeOffset ImportedAt, bool WasPassphraseProtected);
