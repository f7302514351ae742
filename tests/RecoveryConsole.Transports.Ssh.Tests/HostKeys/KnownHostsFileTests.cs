using System.Security.Cryptography;
using System.Text;
using RecoveryConsole.Transports.Ssh.HostKeys;

namespace RecoveryConsole.Transports.Ssh.Tests.HostKeys;

public sealed class KnownHostsFileTests
{
    private const string Key = "AAAAC3NzaC1lZDI1NTE5AAAAIF3sefu/qyyAilNleDokMiJbqqHTrtUhomeig+A5/gs4";

    [Fact]
    public void Plain_hashed_and_marker_lines_are_read_as_ssh_reads_them()
    {
        var salt = RandomNumberGenerator.GetBytes(20);
        var hashed = $"|1|{Convert.ToBase64String(salt)}|{Convert.ToBase64String(HMACSHA1.HashData(salt, Encoding.UTF8.GetBytes("[10.0.0.7]:2222")))}";
        var entries = KnownHostsFile.Parse([
            "# comment", "", $"10.0.0.5,master-0 ssh-ed25519 {Key} a comment", $"@cert-authority *.example ssh-ed25519 {Key}", $"{hashed} ssh-ed25519 {Key}",
        ]);

        Assert.Equal(2, entries.Count);
        Assert.Equal(3, entries[0].LineNumber);
        Assert.True(KnownHostsFile.Matches(entries[0].Hosts, "10.0.0.5"));
        Assert.True(KnownHostsFile.Matches(entries[0].Hosts, "master-0"));
        Assert.False(KnownHostsFile.Matches(entries[0].Hosts, "10.0.0.50"));
        Assert.True(KnownHostsFile.Matches(entries[1].Hosts, "[10.0.0.7]:2222"));
        Assert.False(KnownHostsFile.Matches(entries[1].Hosts, "10.0.0.7"));
    }

    [Fact]
    public void The_fingerprint_is_opensshs_sha256_form()
    {
        Assert.Equal("SHA256:z4CpyV2hMix9fA+nmDuH3b/MLpcP2QhXEPCic68xZWo", KeyFingerprint.Of(Key));
        Assert.Null(KeyFingerprint.Of("not base64!"));
    }

    [Theory]
    [InlineData("host\n@revoked * ssh-ed25519 AAAA", "ssh-ed25519", Key)]
    [InlineData("[127.0.0.1]:22", "ssh-ed25519 x", Key)]
    [InlineData("[127.0.0.1]:22", "ssh-ed25519", "AAAA\nbad")]
    public async Task A_malformed_key_is_never_written(string host, string type, string blob)
    {
        var file = Path.Combine(Path.GetTempPath(), "kh-" + Guid.NewGuid().ToString("N"));
        var knownHosts = new KnownHosts(file, new SshSettings());

        await Assert.ThrowsAsync<ArgumentException>(() =>
            knownHosts.AcceptAsync(new ScannedHostKey(host, type, blob, KeyFingerprint.Of(Key)!, 256, "ED25519"), false, CancellationToken.None));
        Assert.False(File.Exists(file));
    }

    [Fact]
    public async Task A_fingerprint_that_does_not_belong_to_the_key_is_refused()
    {
        var file = Path.Combine(Path.GetTempPath(), "kh-" + Guid.NewGuid().ToString("N"));
        var knownHosts = new KnownHosts(file, new SshSettings());

        var e = await Assert.ThrowsAsync<ArgumentException>(() =>
            knownHosts.AcceptAsync(new ScannedHostKey("10.0.0.5", "ssh-ed25519", Key, "SHA256:somethingElse", 256, "ED25519"), false, CancellationToken.None));
        Assert.Contains("does not belong to this key", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(file));
    }
}
