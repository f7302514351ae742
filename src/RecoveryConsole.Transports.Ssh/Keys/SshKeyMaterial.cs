using System.Security.Cryptography;

namespace RecoveryConsole.Transports.Ssh.Keys;

/// <summary>
/// An unlocked private key in memory, on its way to the transport's 0600 key file. Dispose wipes the bytes;
/// <see cref="ToString"/> never shows them, so a stray log statement cannot leak the key.
/// </summary>
public sealed class SshKeyMaterial : IDisposable
{
    private readonly byte[] _privateKey;
    private bool _disposed;

    public SshKeyMaterial(SshKeyInfo info, byte[] privateKey)
    {
        Info = info ?? throw new ArgumentNullException(nameof(info));
        _privateKey = privateKey ?? throw new ArgumentNullException(nameof(privateKey));
    }

    public SshKeyInfo Info { get; }

    /// <summary>The unencrypted key file's content (OpenSSH format).</summary>
    public ReadOnlySpan<byte> PrivateKey
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _privateKey;
        }
    }

    public override string ToString() => $"SSH private key {Info.KeyId} ({Info.Label} {Info.Fingerprint})";

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        CryptographicOperations.ZeroMemory(_privateKey);
    }
}
