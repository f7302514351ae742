using System.Text;
using Microsoft.AspNetCore.DataProtection;
using RecoveryConsole.Transports.Ssh.Keys;
using RecoveryConsole.Transports.Ssh.Tests.Fixtures;

namespace RecoveryConsole.Transports.Ssh.Tests.Keys;

/// <summary>Keys made with ssh-keygen for each test; no sshd needed (ssh-keygen comes with the OpenSSH client).</summary>
[Trait("Category", "Ssh")] // needs ssh-keygen from openssh-client
public sealed class DataProtectedSshKeyStoreTests : IDisposable
{
    private const string Passphrase = "s3cret passphrase";
    private readonly string _dir = Directory.CreateTempSubdirectory("rc-keys-").FullName;
    private readonly DataProtectedSshKeyStore _store;

    public DataProtectedSshKeyStoreTests() =>
        _store = new DataProtectedSshKeyStore(new EphemeralDataProtectionProvider(), Path.Combine(_dir, "store"), new SshSettings());

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public async Task A_key_is_stored_encrypted_and_opens_to_the_same_key()
    {
        var (privateKey, publicKey, fingerprint) = NewKey(null);

        var info = await _store.ImportAsync("prod", privateKey, null, CancellationToken.None);
        using var opened = await _store.OpenAsync("prod", CancellationToken.None);

        Assert.Equal(fingerprint, info.Fingerprint);
        Assert.Equal("ED25519", info.Label);
        Assert.Equal(publicKey.Split(' ')[1], info.PublicKey.Split(' ')[1]);
        Assert.False(info.WasPassphraseProtected);
        Assert.Equal(privateKey.Trim(), Encoding.UTF8.GetString(opened.PrivateKey).Trim());
        // At rest: neither the PEM armour nor any line of the key body is in the store's files.
        foreach (var file in Directory.EnumerateFiles(_store.Directory))
        {
            var content = await File.ReadAllTextAsync(file);
            Assert.DoesNotContain("PRIVATE KEY", content, StringComparison.Ordinal);
            Assert.All(privateKey.Split('\n').Where(l => l.Length > 20 && !l.StartsWith("-----", StringComparison.Ordinal)),
                line => Assert.DoesNotContain(line, content, StringComparison.Ordinal));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_store.Directory));
        Assert.DoesNotContain("PRIVATE", opened.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_passphrase_key_is_unlocked_once_and_the_passphrase_is_not_stored()
    {
        var (privateKey, _, fingerprint) = NewKey(Passphrase);

        var info = await _store.ImportAsync("pass", privateKey, Passphrase, CancellationToken.None);
        using var opened = await _store.OpenAsync("pass", CancellationToken.None);

        Assert.True(info.WasPassphraseProtected);
        Assert.Equal(fingerprint, info.Fingerprint);
        // The stored key opens without a passphrase (ssh runs in BatchMode and could not ask for one).
        var file = Path.Combine(_dir, "opened");
        await File.WriteAllBytesAsync(file, opened.PrivateKey.ToArray());
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Assert.StartsWith("ssh-ed25519 ", SshdServer.Run("ssh-keygen", "-y", "-P", "", "-f", file), StringComparison.Ordinal);
        foreach (var stored in Directory.EnumerateFiles(_store.Directory))
            Assert.DoesNotContain(Passphrase, await File.ReadAllTextAsync(stored), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_or_missing_passphrase_is_a_clear_error_without_the_secret()
    {
        var (privateKey, _, _) = NewKey(Passphrase);

        var missing = await Assert.ThrowsAsync<SshKeyImportException>(() => _store.ImportAsync("k", privateKey, null, CancellationToken.None));
        var wrong = await Assert.ThrowsAsync<SshKeyImportException>(() => _store.ImportAsync("k", privateKey, "not-it", CancellationToken.None));

        Assert.Equal("This key is protected by a passphrase: enter the passphrase to import it.", missing.Message);
        Assert.Equal("The passphrase does not unlock this key.", wrong.Message);
        Assert.DoesNotContain("not-it", wrong.ToString(), StringComparison.Ordinal);
        Assert.Null(await _store.DescribeAsync("k", CancellationToken.None));
    }

    [Fact]
    public async Task Garbage_is_not_a_key()
    {
        var e = await Assert.ThrowsAsync<SshKeyImportException>(() => _store.ImportAsync("k", "-----BEGIN NONSENSE-----\nabc\n", null, CancellationToken.None));

        Assert.StartsWith("This is not a private key ssh can read", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("abc", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_are_listed_described_and_deleted_without_decrypting()
    {
        await _store.ImportAsync("b-key", NewKey(null).PrivateKey, null, CancellationToken.None);
        await _store.ImportAsync("a-key", NewKey(null).PrivateKey, null, CancellationToken.None);

        Assert.Equal(["a-key", "b-key"], (await _store.ListAsync(CancellationToken.None)).Select(k => k.KeyId));
        Assert.True(await _store.DeleteAsync("a-key", CancellationToken.None));
        Assert.False(await _store.DeleteAsync("a-key", CancellationToken.None));
        Assert.Equal(["b-key"], (await _store.ListAsync(CancellationToken.None)).Select(k => k.KeyId));
        await Assert.ThrowsAsync<SshKeyStoreException>(() => _store.OpenAsync("a-key", CancellationToken.None));
    }

    [Fact]
    public async Task A_key_file_copied_under_another_id_does_not_decrypt()
    {
        await _store.ImportAsync("one", NewKey(null).PrivateKey, null, CancellationToken.None);
        await _store.ImportAsync("two", NewKey(null).PrivateKey, null, CancellationToken.None);
        File.Copy(Path.Combine(_store.Directory, "one.key"), Path.Combine(_store.Directory, "two.key"), overwrite: true);

        var e = await Assert.ThrowsAsync<SshKeyStoreException>(() => _store.OpenAsync("two", CancellationToken.None));
        Assert.Contains("cannot be decrypted", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("a/b")]
    [InlineData("")]
    [InlineData("-leading-dash")]
    [InlineData("line\nbreak")]
    public async Task Key_ids_that_are_not_plain_names_are_refused(string keyId)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _store.ImportAsync(keyId, NewKey(null).PrivateKey, null, CancellationToken.None));
    }

    private (string PrivateKey, string PublicKey, string Fingerprint) NewKey(string? passphrase)
    {
        var path = Path.Combine(_dir, "k-" + Guid.NewGuid().ToString("N")[..8]);
        SshdServer.Run("ssh-keygen", "-q", "-t", "ed25519", "-N", passphrase ?? "", "-C", "test", "-f", path);
        var fingerprint = SshdServer.Run("ssh-keygen", "-l", "-E", "sha256", "-f", path + ".pub").Split(' ')[1];
        return (File.ReadAllText(path), File.ReadAllText(path + ".pub"), fingerprint);
    }
}
