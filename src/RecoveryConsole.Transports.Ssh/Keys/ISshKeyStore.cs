namespace RecoveryConsole.Transports.Ssh.Keys;

/// <summary>Private keys the console logs in with, kept encrypted at rest.</summary>
public interface ISshKeyStore
{
    /// <summary>
    /// Checks and stores a private key (OpenSSH or PEM text). A passphrase, if the key has one, unlocks it once here
    /// and is never stored; the unlocked key is stored encrypted. Replaces a key with the same id.
    /// </summary>
    /// <exception cref="SshKeyImportException">Not a key ssh can read, a passphrase is missing, or it does not unlock the key.</exception>
    Task<SshKeyInfo> ImportAsync(string keyId, string privateKey, string? passphrase, CancellationToken cancellationToken);

    Task<SshKeyInfo?> DescribeAsync(string keyId, CancellationToken cancellationToken);

    Task<IReadOnlyList<SshKeyInfo>> ListAsync(CancellationToken cancellationToken);

    Task<bool> DeleteAsync(string keyId, CancellationToken cancellationToken);

    /// <summary>The unlocked key, for a transport to write into its private directory. Dispose it as soon as it is written.</summary>
    /// <exception cref="SshKeyStoreException">No such key, or it cannot be decrypted.</exception>
    Task<SshKeyMaterial> OpenAsync(string keyId, CancellationToken cancellationToken);
}

/// <summary>A key could not be imported. The message never contains key material or the passphrase.</summary>
public sealed class SshKeyImportException(string message) : Exception(message);

/// <summary>A stored key is missing or cannot be decrypted.</summary>
public sealed class SshKeyStoreException(string message, Exception? inner = null) : Exception(message, inner);
