using System.Security.Cryptography;
using System.Text;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Transports.Ssh.Files;
using RecoveryConsole.Transports.Ssh.Tests.Fixtures;

namespace RecoveryConsole.Transports.Ssh.Tests.Files;

/// <summary>The "remote" side is a folder of the fixture, reached through sshd like any host's disk.</summary>
[Collection(SshCollection.Name)]
[Trait("Category", "Ssh")]
public sealed class FileTransferTests(SshFixture fixture) : IDisposable
{
    private readonly string _local = Directory.CreateTempSubdirectory("rc-files-").FullName;
    private readonly string _remote = Path.Combine(Path.GetTempPath(), "rc-remote-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        Directory.Delete(_local, true);
        if (Directory.Exists(_remote)) Directory.Delete(_remote, true);
    }

    [Fact]
    public async Task A_directory_makes_the_round_trip_with_every_checksum_verified()
    {
        var source = Path.Combine(_local, "backup");
        var tree = new Dictionary<string, byte[]>
        {
            ["snapshot_2026-11-22_030000.db"] = RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 17),
            ["static_kuberesources_2026-11-22_030000.tar.gz"] = RandomNumberGenerator.GetBytes(70_000),
            ["empty"] = [],
            ["nested/deeper/notes with spaces.txt"] = Encoding.UTF8.GetBytes("ünïcödé\n"),
            ["nested/-dash-first"] = Encoding.UTF8.GetBytes("x"),
            ["nested/new\nline"] = Encoding.UTF8.GetBytes("odd name"),
        };
        foreach (var (path, content) in tree)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(source, path))!);
            await File.WriteAllBytesAsync(Path.Combine(source, path), content);
        }
        Directory.CreateDirectory(Path.Combine(source, "empty-dir"));
        await using var transport = fixture.Transport();

        var up = await transport.UploadAsync(fixture.Host, source, _remote + "/assets/backup", CancellationToken.None);
        var back = Path.Combine(_local, "back");
        var down = await transport.DownloadAsync(fixture.Host, _remote + "/assets/backup", back, CancellationToken.None);

        Assert.True(up.IsDirectory);
        Assert.Equal(tree.Keys.Order(StringComparer.Ordinal), up.Files.Select(f => f.RelativePath).Order(StringComparer.Ordinal));
        Assert.Equal(tree.Values.Sum(v => (long)v.Length), up.TotalBytes);
        foreach (var (path, content) in tree)
        {
            Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(_remote, "assets/backup", path)));
            Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(back, path)));
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), down.Files.Single(f => f.RelativePath == path).Sha256);
        }
        Assert.True(Directory.Exists(Path.Combine(back, "empty-dir")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(back, "empty")));
    }

    [Fact]
    public async Task A_single_file_makes_the_round_trip()
    {
        var file = Path.Combine(_local, "snapshot.db");
        var content = RandomNumberGenerator.GetBytes(1_000_003);
        await File.WriteAllBytesAsync(file, content);
        await using var transport = fixture.Transport();

        var up = await transport.UploadAsync(fixture.Host, file, _remote + "/dir/snapshot.db", CancellationToken.None);
        var down = await transport.DownloadAsync(fixture.Host, _remote + "/dir/snapshot.db", Path.Combine(_local, "copy.db"),
            new TransferOptions { UseSudo = true }, CancellationToken.None);

        var sha = Convert.ToHexStringLower(SHA256.HashData(content));
        Assert.Equal(sha, Assert.Single(up.Files).Sha256);
        Assert.Equal(sha, Assert.Single(down.Files).Sha256);
        Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(_remote, "dir/snapshot.db")));
        Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(_local, "copy.db")));
        Assert.Equal(["snapshot.db"], Directory.GetFiles(Path.Combine(_remote, "dir")).Select(Path.GetFileName)); // no partial left
    }

    [Fact]
    public async Task A_checksum_that_differs_fails_the_upload_and_replaces_nothing()
    {
        var file = Path.Combine(_local, "important.db");
        await File.WriteAllBytesAsync(file, RandomNumberGenerator.GetBytes(4096));
        Directory.CreateDirectory(_remote);
        await File.WriteAllTextAsync(Path.Combine(_remote, "important.db"), "the old copy");
        await using var transport = fixture.Transport();
        fixture.Server.CorruptChecksums = true;
        try
        {
            var e = await Assert.ThrowsAsync<FileTransferException>(() => transport.UploadAsync(fixture.Host, file, _remote + "/important.db", CancellationToken.None));

            Assert.Contains("is corrupt: SHA-256 here", e.Message, StringComparison.Ordinal);
            Assert.Contains("nothing was replaced", e.Message, StringComparison.Ordinal);
            Assert.Single(e.Problems);
        }
        finally { fixture.Server.CorruptChecksums = false; }
        Assert.Equal("the old copy", await File.ReadAllTextAsync(Path.Combine(_remote, "important.db")));
        Assert.Equal(["important.db"], Directory.GetFiles(_remote).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_checksum_that_differs_fails_a_directory_download_naming_each_file()
    {
        Directory.CreateDirectory(Path.Combine(_remote, "d"));
        await File.WriteAllTextAsync(Path.Combine(_remote, "d", "a"), "a");
        await File.WriteAllTextAsync(Path.Combine(_remote, "d", "b"), "b");
        await using var transport = fixture.Transport();
        fixture.Server.CorruptChecksums = true;
        try
        {
            var e = await Assert.ThrowsAsync<FileTransferException>(() =>
                transport.DownloadAsync(fixture.Host, _remote + "/d", Path.Combine(_local, "d"), CancellationToken.None));

            Assert.Contains("could not be verified", e.Message, StringComparison.Ordinal);
            Assert.Contains("Do not use this copy", e.Message, StringComparison.Ordinal);
            Assert.Equal(2, e.Problems.Count);
        }
        finally { fixture.Server.CorruptChecksums = false; }
    }

    [Fact]
    public async Task A_missing_remote_path_is_a_clear_error()
    {
        await using var transport = fixture.Transport();

        var e = await Assert.ThrowsAsync<FileTransferException>(() =>
            transport.DownloadAsync(fixture.Host, _remote + "/nope", Path.Combine(_local, "x"), CancellationToken.None));

        Assert.StartsWith($"{_remote}/nope does not exist on master-0", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_local, "x")));
    }

    [Fact]
    public async Task A_symbolic_link_is_refused_rather_than_silently_skipped()
    {
        var source = Directory.CreateDirectory(Path.Combine(_local, "with-link")).FullName;
        await File.WriteAllTextAsync(Path.Combine(source, "real"), "r");
        File.CreateSymbolicLink(Path.Combine(source, "link"), Path.Combine(source, "real"));
        await using var transport = fixture.Transport();

        var e = await Assert.ThrowsAsync<FileTransferException>(() => transport.UploadAsync(fixture.Host, source, _remote + "/x", CancellationToken.None));

        Assert.Contains("is a symbolic link", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_remote_symbolic_link_stops_the_download_instead_of_being_followed()
    {
        Directory.CreateDirectory(Path.Combine(_remote, "d"));
        await File.WriteAllTextAsync(Path.Combine(_remote, "d", "a"), "a");
        File.CreateSymbolicLink(Path.Combine(_remote, "d", "escape"), "/etc/passwd");
        await using var transport = fixture.Transport();

        var e = await Assert.ThrowsAsync<FileTransferException>(() =>
            transport.DownloadAsync(fixture.Host, _remote + "/d", Path.Combine(_local, "d"), CancellationToken.None));

        Assert.Contains("escape on the host is a SymbolicLink entry", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_local, "d", "escape")));
    }

    [Fact]
    public async Task A_relative_remote_path_is_refused()
    {
        await using var transport = fixture.Transport();
        await Assert.ThrowsAsync<ArgumentException>(() => transport.UploadAsync(fixture.Host, _local, "relative/path", CancellationToken.None));
    }
}
