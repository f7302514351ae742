using RecoveryConsole.Transports.Ssh.Tests.Fixtures;

namespace RecoveryConsole.Transports.Ssh.Tests.Connection;

[Collection(SshCollection.Name)]
[Trait("Category", "Ssh")]
public sealed class KeyFileTests(SshFixture fixture)
{
    [Fact]
    public async Task The_key_exists_unencrypted_only_as_a_0600_file_for_the_transports_life()
    {
        var transport = fixture.Transport();
        await transport.RunAsync(fixture.Host, "true", new CollectingSink(), CancellationToken.None);
        var keyFile = transport.IdentityFile!;

        Assert.StartsWith(transport.RuntimeDirectory + "/", keyFile, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        Assert.Contains("BEGIN OPENSSH PRIVATE KEY", await File.ReadAllTextAsync(keyFile), StringComparison.Ordinal);

        await transport.DisposeAsync();

        Assert.False(File.Exists(keyFile));
        Assert.False(Directory.Exists(transport.RuntimeDirectory));
    }

    [Fact]
    public async Task A_passphrase_key_logs_in_after_import()
    {
        var keyId = "pass-" + Guid.NewGuid().ToString("N")[..6];
        await fixture.Keys.ImportAsync(keyId, await File.ReadAllTextAsync(fixture.Server.PassphraseKeyPath), SshdServer.Passphrase, CancellationToken.None);
        await using var transport = fixture.Transport(fixture.Profile() with { KeyId = keyId });
        var sink = new CollectingSink();

        Assert.Equal(0, await transport.RunAsync(fixture.Host, "echo in", sink, CancellationToken.None));
        Assert.Equal(["in"], sink.Stdout);
    }

    [Fact]
    public async Task A_crashed_consoles_directory_is_swept_and_a_live_ones_is_kept()
    {
        var parent = Directory.CreateTempSubdirectory("rc-sweep-").FullName;
        try
        {
            var settings = new SshSettings { RuntimeDirectory = parent };
            var live = new SshHostTransport(fixture.Profile(), settings, fixture.Keys);
            var dead = Directory.CreateDirectory(Path.Combine(parent, "rc-ssh-dead01")).FullName;
            await File.WriteAllTextAsync(Path.Combine(dead, "owner"), "999999 1");
            await File.WriteAllTextAsync(Path.Combine(dead, "id-cluster"), "secret");

            var removed = Ssh.Connection.PrivateDirectory.SweepStale(parent, "ssh");

            Assert.Equal(1, removed);
            Assert.False(Directory.Exists(dead));
            Assert.True(Directory.Exists(live.RuntimeDirectory));
            await live.DisposeAsync();
        }
        finally { Directory.Delete(parent, true); }
    }
}
