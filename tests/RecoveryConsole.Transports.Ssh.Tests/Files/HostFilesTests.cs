using System.Security.Cryptography;
using System.Text;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Transports.Ssh.Tests.Fixtures;

namespace RecoveryConsole.Transports.Ssh.Tests.Files;

/// <summary>
/// <see cref="IHostFiles"/> over the real sshd: the "host's disk" is a folder of this machine. The test sshd logs in as
/// root, so sudo is proven by the sudo double's log and by the double refusing when it wants a password.
/// </summary>
[Collection(SshCollection.Name)]
[Trait("Category", "Ssh")]
public sealed class HostFilesTests(SshFixture fixture) : IDisposable
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly string _remote = Path.Combine(Path.GetTempPath(), "rc-hostfiles-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        fixture.Server.CorruptChecksums = false;
        fixture.Server.SudoRequiresPassword = false;
        if (Directory.Exists(_remote)) Directory.Delete(_remote, true);
    }

    [Fact]
    public async Task Binary_content_makes_the_round_trip_byte_for_byte()
    {
        var everyByte = Enumerable.Range(0, 256).Select(b => (byte)b).ToArray();
        var content = everyByte.Concat(RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 11)).Concat(Enumerable.Reverse(everyByte)).ToArray();
        var sha = Convert.ToHexStringLower(SHA256.HashData(content));
        var path = _remote + "/assets/backup/snapshot_2026-12-02_030000.db";
        await using var transport = fixture.Transport();

        var written = await transport.WriteAsync(fixture.Host, path, new MemoryStream(content), new FileWriteOptions(), CancellationToken.None);
        var back = new MemoryStream();
        var read = await transport.ReadAsync(fixture.Host, path, back, sudo: false, CancellationToken.None);

        Assert.Equal(new FileTransfer("master-0", path, content.Length, sha), written);
        Assert.Equal(new FileTransfer("master-0", path, content.Length, sha), read);
        Assert.Equal(content, back.ToArray());
        Assert.Equal(content, await File.ReadAllBytesAsync(path));
        Assert.Equal(Private, File.GetUnixFileMode(path)); // no mode given: private, it may hold secrets
        Assert.Equal(["snapshot_2026-12-02_030000.db"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName)); // no partial left
    }

    [Fact]
    public async Task An_empty_file_makes_the_round_trip()
    {
        await using var transport = fixture.Transport();

        var written = await transport.WriteAsync(fixture.Host, _remote + "/empty", new MemoryStream(), new FileWriteOptions(), CancellationToken.None);
        var back = new MemoryStream();
        var read = await transport.ReadAsync(fixture.Host, _remote + "/empty", back, sudo: false, CancellationToken.None);

        Assert.Equal(0, written.Bytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData([])), read.Sha256);
        Assert.Empty(back.ToArray());
    }

    [Fact]
    public async Task A_root_only_file_is_read_through_sudo()
    {
        var path = Path.Combine(_remote, "assets/backup/snapshot_2026-12-02_030000.db");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var content = RandomNumberGenerator.GetBytes(200_000);
        await File.WriteAllBytesAsync(path, content);
        File.SetUnixFileMode(path, Private); // as cluster-backup.sh leaves it: root, 0600
        await using var transport = fixture.Transport();
        var before = fixture.Server.SudoLog.Count;

        var back = new MemoryStream();
        var read = await transport.ReadAsync(fixture.Host, path, back, sudo: true, CancellationToken.None);

        Assert.Equal(content, back.ToArray());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), read.Sha256);
        var sudoed = fixture.Server.SudoLog.Skip(before).ToList();
        Assert.Contains(sudoed, l => l.Contains("cat -- " + path, StringComparison.Ordinal));
        Assert.Contains(sudoed, l => l.Contains("sha256sum -- " + path, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_write_with_sudo_and_a_mode_lands_in_a_root_owned_directory_with_that_mode()
    {
        var directory = Directory.CreateDirectory(Path.Combine(_remote, "etc-kubernetes")).FullName;
        File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await using var transport = fixture.Transport();
        var before = fixture.Server.SudoLog.Count;

        var secret = await transport.WriteAsync(fixture.Host, directory + "/kubeconfig", new MemoryStream("apiVersion: v1\n"u8.ToArray()),
            new FileWriteOptions(Sudo: true, Mode: "0600"), CancellationToken.None);
        var manifest = await transport.WriteAsync(fixture.Host, directory + "/manifests/etcd-pod.yaml", new MemoryStream("kind: Pod\n"u8.ToArray()),
            new FileWriteOptions(Sudo: true, Mode: "0644"), CancellationToken.None);

        Assert.Equal(Private, File.GetUnixFileMode(secret.Path));
        Assert.Equal(Private | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(manifest.Path));
        Assert.Equal("kind: Pod\n", await File.ReadAllTextAsync(manifest.Path));
        Assert.Contains(fixture.Server.SudoLog.Skip(before), l => l.Contains("chmod 0644", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_write_replaces_an_existing_file_and_leaves_no_partial_copy()
    {
        Directory.CreateDirectory(_remote);
        await File.WriteAllTextAsync(Path.Combine(_remote, "static-pod.yaml"), "old");
        await using var transport = fixture.Transport();

        await transport.WriteAsync(fixture.Host, _remote + "/static-pod.yaml", new MemoryStream("new"u8.ToArray()), new FileWriteOptions(), CancellationToken.None);

        Assert.Equal("new", await File.ReadAllTextAsync(Path.Combine(_remote, "static-pod.yaml")));
        Assert.Equal(["static-pod.yaml"], Directory.GetFiles(_remote).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_write_over_a_directory_fails_instead_of_landing_inside_it()
    {
        Directory.CreateDirectory(Path.Combine(_remote, "target"));
        await using var transport = fixture.Transport();

        var e = await Assert.ThrowsAsync<FileTransferException>(() =>
            transport.WriteAsync(fixture.Host, _remote + "/target", new MemoryStream("x"u8.ToArray()), new FileWriteOptions(), CancellationToken.None));

        Assert.Contains("could not be moved into place", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(_remote, "target")));
        Assert.Equal(["target"], Directory.GetFileSystemEntries(_remote).Select(Path.GetFileName)); // the partial copy was removed
    }

    [Fact]
    public async Task Without_CreateDirectories_a_missing_directory_is_a_clear_error()
    {
        await using var transport = fixture.Transport();

        var e = await Assert.ThrowsAsync<FileTransferException>(() => transport.WriteAsync(fixture.Host, _remote + "/missing/file",
            new MemoryStream("x"u8.ToArray()), new FileWriteOptions(CreateDirectories: false), CancellationToken.None));

        Assert.Equal($"Upload of the data to master-0:{_remote}/missing/file failed: the directory {_remote}/missing does not exist on master-0 " +
            "(and creating it was not asked for). Nothing was written.", e.Message);
        Assert.False(Directory.Exists(_remote));
    }

    [Fact]
    public async Task A_missing_file_is_a_clear_error()
    {
        await using var transport = fixture.Transport();

        var e = await Assert.ThrowsAsync<FileTransferException>(() =>
            transport.ReadAsync(fixture.Host, _remote + "/snapshot.db", new MemoryStream(), sudo: true, CancellationToken.None));

        Assert.Equal($"{_remote}/snapshot.db does not exist on master-0: no such file.", e.Message);
    }

    [Fact]
    public async Task Reading_a_directory_is_refused()
    {
        Directory.CreateDirectory(_remote);
        await using var transport = fixture.Transport();

        var e = await Assert.ThrowsAsync<FileTransferException>(() =>
            transport.ReadAsync(fixture.Host, _remote, new MemoryStream(), sudo: false, CancellationToken.None));

        Assert.Equal($"{_remote} on master-0 is a directory, not a file.", e.Message);
    }

    [Fact]
    public async Task Sudo_that_asks_for_a_password_is_named_as_the_problem()
    {
        Directory.CreateDirectory(_remote);
        await File.WriteAllTextAsync(Path.Combine(_remote, "snapshot.db"), "data");
        await using var transport = fixture.Transport();
        fixture.Server.SudoRequiresPassword = true;

        var read = await Assert.ThrowsAsync<FileTransferException>(() =>
            transport.ReadAsync(fixture.Host, _remote + "/snapshot.db", new MemoryStream(), sudo: true, CancellationToken.None));
        var write = await Assert.ThrowsAsync<FileTransferException>(() => transport.WriteAsync(fixture.Host, _remote + "/new.db",
            new MemoryStream("x"u8.ToArray()), new FileWriteOptions(Sudo: true), CancellationToken.None));
        var withoutSudo = new MemoryStream();
        await transport.ReadAsync(fixture.Host, _remote + "/snapshot.db", withoutSudo, sudo: false, CancellationToken.None);

        const string expected = "sudo on master-0 asks for a password: the console needs passwordless sudo (sudo -n) for root.";
        Assert.Equal(expected, read.Message);
        Assert.Equal(expected, write.Message);
        Assert.False(File.Exists(Path.Combine(_remote, "new.db")));
        Assert.Equal("data", Encoding.UTF8.GetString(withoutSudo.ToArray())); // only the sudo path is refused
    }

    [Fact]
    public async Task A_profile_without_sudo_refuses_a_sudo_transfer()
    {
        await using var transport = fixture.Transport(fixture.Profile() with { Sudo = SudoMode.None });

        var e = await Assert.ThrowsAsync<FileTransferException>(() =>
            transport.ReadAsync(fixture.Host, _remote + "/x", new MemoryStream(), sudo: true, CancellationToken.None));

        Assert.Contains("does not allow sudo", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_host_checksum_that_differs_fails_the_read_and_says_to_discard_the_bytes()
    {
        Directory.CreateDirectory(_remote);
        await File.WriteAllBytesAsync(Path.Combine(_remote, "snapshot.db"), RandomNumberGenerator.GetBytes(10_000));
        await using var transport = fixture.Transport();
        fixture.Server.CorruptChecksums = true;

        var e = await Assert.ThrowsAsync<FileTransferException>(() =>
            transport.ReadAsync(fixture.Host, _remote + "/snapshot.db", new MemoryStream(), sudo: false, CancellationToken.None));

        Assert.Contains("is corrupt or the file changed during the transfer: SHA-256 on the host", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("not a verified copy: discard them.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_host_checksum_that_differs_fails_the_write_and_keeps_the_old_file()
    {
        Directory.CreateDirectory(_remote);
        await File.WriteAllTextAsync(Path.Combine(_remote, "important.db"), "the old copy");
        await using var transport = fixture.Transport();
        fixture.Server.CorruptChecksums = true;

        var e = await Assert.ThrowsAsync<FileTransferException>(() => transport.WriteAsync(fixture.Host, _remote + "/important.db",
            new MemoryStream(RandomNumberGenerator.GetBytes(4096)), new FileWriteOptions(Sudo: true), CancellationToken.None));

        Assert.Contains("is corrupt: SHA-256 here", e.Message, StringComparison.Ordinal);
        Assert.Single(e.Problems);
        Assert.Equal("the old copy", await File.ReadAllTextAsync(Path.Combine(_remote, "important.db")));
        Assert.Equal(["important.db"], Directory.GetFiles(_remote).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_source_that_fails_midway_is_not_taken_for_a_short_file()
    {
        Directory.CreateDirectory(_remote);
        await File.WriteAllTextAsync(Path.Combine(_remote, "backup.db"), "the old copy");
        await using var transport = fixture.Transport();

        var e = await Assert.ThrowsAsync<FileTransferException>(() => transport.WriteAsync(fixture.Host, _remote + "/backup.db",
            new FailingStream(100_000), new FileWriteOptions(), CancellationToken.None));

        Assert.Contains("reading the source failed after 100000 bytes (disk read error)", e.Message, StringComparison.Ordinal);
        Assert.Equal("the old copy", await File.ReadAllTextAsync(Path.Combine(_remote, "backup.db")));
        Assert.Equal(["backup.db"], Directory.GetFiles(_remote).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("rw-------")]
    [InlineData("0600; rm -rf /")]
    [InlineData("0800")]
    public async Task A_mode_that_is_not_octal_is_refused_before_anything_is_sent(string mode)
    {
        await using var transport = fixture.Transport();
        await Assert.ThrowsAsync<ArgumentException>(() => transport.WriteAsync(fixture.Host, _remote + "/x",
            new MemoryStream(), new FileWriteOptions(Mode: mode), CancellationToken.None));
        Assert.False(Directory.Exists(_remote));
    }

    [Fact]
    public async Task A_relative_path_is_refused()
    {
        await using var transport = fixture.Transport();
        await Assert.ThrowsAsync<ArgumentException>(() => transport.ReadAsync(fixture.Host, "assets/backup/x", new MemoryStream(), false, CancellationToken.None));
    }

    /// <summary>Gives <paramref name="good"/> bytes, then fails as a disk would.</summary>
    private sealed class FailingStream(int good) : Stream
    {
        private int _given;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _given; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_given >= good) throw new IOException("disk read error");
            var n = Math.Min(count, good - _given);
            Array.Fill(buffer, (byte)'x', offset, n);
            _given += n;
            return n;
        }
    }
}
