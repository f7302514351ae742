using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace RecoveryConsole.Transports.Ssh.Keys;

/// <summary>
/// Keeps private keys encrypted with ASP.NET Core Data Protection in one 0700 directory: <c>&lt;id&gt;.key</c> holds the
/// protected private key, <c>&lt;id&gt;.json</c> its public facts (so listing keys never decrypts one). The protector's
/// purpose includes the key id, so a file copied under another id does not decrypt.
/// </summary>
public sealed class DataProtectedSshKeyStore : ISshKeyStore
{
    private const string Purpose = "RecoveryConsole.Transports.Ssh.PrivateKey.v1";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private readonly IDataProtectionProvider _protection;
    private readonly SshSettings _settings;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public DataProtectedSshKeyStore(IDataProtectionProvider protection, string directory, SshSettings settings)
    {
        _protection = protection ?? throw new ArgumentNullException(nameof(protection));
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory = Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public string Directory { get; }

    public async Task<SshKeyInfo> ImportAsync(string keyId, string privateKey, string? passphrase, CancellationToken cancellationToken)
    {
        SshKeyId.Validate(keyId);
        ArgumentException.ThrowIfNullOrWhiteSpace(privateKey);
        var unlocked = await KeyInspector.UnlockAsync(privateKey, passphrase, _settings, cancellationToken).ConfigureAwait(false);
        try
        {
            var info = new SshKeyInfo(keyId, unlocked.Label, unlocked.Bits, unlocked.Fingerprint, unlocked.PublicKey, DateTimeOffset.UtcNow, unlocked.HadPassphrase);
            var sealedKey = Protector(keyId).Protect(unlocked.PrivateKey);
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await WriteAtomicallyAsync(KeyFile(keyId), sealedKey, cancellationToken).ConfigureAwait(false);
                await WriteAtomicallyAsync(InfoFile(keyId), JsonSerializer.SerializeToUtf8Bytes(info, Json), cancellationToken).ConfigureAwait(false);
            }
            finally { _gate.Release(); }
            return info;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(unlocked.PrivateKey);
        }
    }

    public async Task<SshKeyInfo?> DescribeAsync(string keyId, CancellationToken cancellationToken)
    {
        SshKeyId.Validate(keyId);
        var file = InfoFile(keyId);
        if (!File.Exists(file) || !File.Exists(KeyFile(keyId))) return null;
        return JsonSerializer.Deserialize<SshKeyInfo>(await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false), Json);
    }

    public async Task<IReadOnlyList<SshKeyInfo>> ListAsync(CancellationToken cancellationToken)
    {
        var keys = new List<SshKeyInfo>();
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory, "*.json").Order(StringComparer.Ordinal))
            if (await DescribeAsync(Path.GetFileNameWithoutExtension(file), cancellationToken).ConfigureAwait(false) is { } info)
                keys.Add(info);
        return keys;
    }

    public async Task<bool> DeleteAsync(string keyId, CancellationToken cancellationToken)
    {
        SshKeyId.Validate(keyId);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var existed = File.Exists(KeyFile(keyId));
            File.Delete(KeyFile(keyId));
            File.Delete(InfoFile(keyId));
            return existed;
        }
        finally { _gate.Release(); }
    }

    public async Task<SshKeyMaterial> OpenAsync(string keyId, CancellationToken cancellationToken)
    {
        var info = await DescribeAsync(keyId, cancellationToken).ConfigureAwait(false)
                   ?? throw new SshKeyStoreException($"There is no stored SSH key '{keyId}'.");
        var sealedKey = await File.ReadAllBytesAsync(KeyFile(keyId), cancellationToken).ConfigureAwait(false);
        try
        {
            return new SshKeyMaterial(info, Protector(keyId).Unprotect(sealedKey));
        }
        catch (CryptographicException e)
        {
            throw new SshKeyStoreException(
                $"The stored SSH key '{keyId}' cannot be decrypted: the data-protection key ring is not the one it was stored with, or the file was altered. Import the key again.", e);
        }
    }

    private IDataProtector Protector(string keyId) => _protection.CreateProtector(Purpose, keyId);

    private string KeyFile(string keyId) => Path.Combine(Directory, keyId + ".key");

    private string InfoFile(string keyId) => Path.Combine(Directory, keyId + ".json");

    private static async Task WriteAtomicallyAsync(string path, byte[] content, CancellationToken cancellationToken)
    {
        var temp = path + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        await using (var stream = new FileStream(temp, new FileStreamOptions
                     {
                         Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
                     }))
        {
            await stream.WriteAsync(content, cancellationToken).ConfigureAwait(false);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }
}
