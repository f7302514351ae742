using System.Security.Cryptography;
using System.Text;
using RecoveryConsole.Lab.Hosts;
using RecoveryConsole.Lab.Shell;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Lab.Tests.Hosts;

[Trait("Category", "Lab")]
public sealed class LabHostFilesTests
{
    private const string Snapshot = "/home/core/assets/backup/snapshot_2026-12-02_030000.db";
    private readonly LabHost _master0 = new("master-0", "192.0.2.10", [HostRoles.ControlPlane]);
    private readonly LabHostTransport _transport;

    public LabHostFilesTests()
    {
        _master0.FileSystem.WriteFile(Snapshot, "lab etcd snapshot: revision 4211 ✓\n");
        _master0.FileSystem.WriteFile("/etc/kubernetes/manifests/etcd-pod.yaml", "kind: Pod\n");
        _transport = new LabHostTransport([_master0], new LabShell(LabCommandRegistry.CreateDefault(), new LabClock(TimeProvider.System, 1)));
    }

    private HostInfo Master0 => _master0.ToHostInfo();

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    [Fact]
    public async Task A_read_gives_the_contents_utf8_bytes_with_the_checksum_both_ends_agree_on()
    {
        var destination = new MemoryStream();

        var read = await _transport.ReadAsync(Master0, Snapshot, destination, sudo: true, CancellationToken.None);

        var expected = Encoding.UTF8.GetBytes("lab etcd snapshot: revision 4211 ✓\n");
        Assert.Equal(expected, destination.ToArray());
        Assert.Equal(new FileTransfer("master-0", Snapshot, expected.Length, Sha(expected)), read);
    }

    [Fact]
    public async Task A_write_is_stored_as_text_that_the_hosts_shell_then_sees()
    {
        var content = Encoding.UTF8.GetBytes("apiVersion: v1\nkind: Pod\nmetadata: {name: etcd-ünïcödé}\n");

        var written = await _transport.WriteAsync(Master0, "/etc/kubernetes/manifests/etcd-pod.yaml", new MemoryStream(content),
            new FileWriteOptions(Sudo: true, Mode: "0600"), CancellationToken.None);

        Assert.Equal(new FileTransfer("master-0", "/etc/kubernetes/manifests/etcd-pod.yaml", content.Length, Sha(content)), written);
        var sink = new RecordingSink();
        Assert.Equal(0, await _transport.RunAsync(Master0, "sudo cat /etc/kubernetes/manifests/etcd-pod.yaml", sink, CancellationToken.None));
        Assert.Equal(["apiVersion: v1", "kind: Pod", "metadata: {name: etcd-ünïcödé}"], sink.Stdout);
    }

    [Fact]
    public async Task Writing_outside_the_home_and_tmp_needs_sudo_as_the_shells_file_commands_do()
    {
        var e = await Assert.ThrowsAsync<FileTransferException>(() => _transport.WriteAsync(Master0, "/etc/kubernetes/manifests/etcd-pod.yaml",
            new MemoryStream("replaced"u8.ToArray()), new FileWriteOptions(), CancellationToken.None));
        var shell = new RecordingSink();
        var cp = await _transport.RunAsync(Master0, $"cp {Snapshot} /etc/kubernetes/manifests/other.yaml", shell, CancellationToken.None);

        Assert.Equal("Upload of the data to master-0:/etc/kubernetes/manifests/etcd-pod.yaml failed on the host: Permission denied for core: " +
            "root-owned files and directories need sudo. Nothing was replaced.", e.Message);
        Assert.Equal("kind: Pod\n", ReadHost("/etc/kubernetes/manifests/etcd-pod.yaml"));
        Assert.NotEqual(0, cp); // the same rule, seen through the shell
        Assert.Contains(shell.Stderr, l => l.EndsWith("Permission denied", StringComparison.Ordinal));

        await _transport.WriteAsync(Master0, "/home/core/notes.txt", new MemoryStream("mine"u8.ToArray()), new FileWriteOptions(), CancellationToken.None);
        await _transport.WriteAsync(Master0, "/tmp/scratch/notes.txt", new MemoryStream("mine"u8.ToArray()), new FileWriteOptions(), CancellationToken.None);
        Assert.Equal("mine", ReadHost("/home/core/notes.txt"));
        Assert.Equal("mine", ReadHost("/tmp/scratch/notes.txt"));
    }

    [Fact]
    public async Task Reading_a_root_path_without_sudo_works_as_cat_does_in_the_lab()
    {
        var sink = new RecordingSink();
        await _transport.RunAsync(Master0, "cat /etc/kubernetes/manifests/etcd-pod.yaml", sink, CancellationToken.None);
        var destination = new MemoryStream();

        await _transport.ReadAsync(Master0, "/etc/kubernetes/manifests/etcd-pod.yaml", destination, sudo: false, CancellationToken.None);

        Assert.Equal(["kind: Pod"], sink.Stdout);
        Assert.Equal("kind: Pod\n", Encoding.UTF8.GetString(destination.ToArray()));
    }

    [Fact]
    public async Task An_unreachable_or_unknown_host_throws_HostUnreachableException_and_nothing_moves()
    {
        _master0.Reachable = false;
        var destination = new MemoryStream();

        var read = await Assert.ThrowsAsync<HostUnreachableException>(() => _transport.ReadAsync(Master0, Snapshot, destination, true, CancellationToken.None));
        var write = await Assert.ThrowsAsync<HostUnreachableException>(() =>
            _transport.WriteAsync(Master0, "/home/core/x", new MemoryStream("x"u8.ToArray()), new FileWriteOptions(), CancellationToken.None));
        var stranger = await Assert.ThrowsAsync<HostUnreachableException>(() =>
            _transport.ReadAsync(new HostInfo("db-0", "192.0.2.99", []), Snapshot, destination, true, CancellationToken.None));

        Assert.Contains("No route to host", read.Reason, StringComparison.Ordinal);
        Assert.Equal("master-0", write.Host);
        Assert.Equal("db-0", stranger.Host);
        Assert.Equal(0, destination.Length);
        Assert.False(_master0.FileSystem.FileExists("/home/core/x"));
    }

    [Fact]
    public async Task A_missing_file_or_a_directory_is_a_clear_error()
    {
        var missing = await Assert.ThrowsAsync<FileTransferException>(() =>
            _transport.ReadAsync(Master0, "/home/core/assets/backup/nope.db", new MemoryStream(), true, CancellationToken.None));
        var directory = await Assert.ThrowsAsync<FileTransferException>(() =>
            _transport.ReadAsync(Master0, "/home/core/assets/backup", new MemoryStream(), true, CancellationToken.None));

        Assert.Equal("/home/core/assets/backup/nope.db does not exist on master-0: no such file.", missing.Message);
        Assert.Equal("/home/core/assets/backup on master-0 is a directory, not a file.", directory.Message);
    }

    [Fact]
    public async Task Bytes_that_are_not_utf8_fail_verification_and_replace_nothing()
    {
        byte[] binary = [0x00, 0xff, 0xfe, 0x80, 0x41];

        var e = await Assert.ThrowsAsync<FileTransferException>(() =>
            _transport.WriteAsync(Master0, Snapshot, new MemoryStream(binary), new FileWriteOptions(), CancellationToken.None));

        Assert.StartsWith($"Upload of the data to master-0:{Snapshot} is corrupt: SHA-256 here {Sha(binary)}, on the host ", e.Message, StringComparison.Ordinal);
        Assert.Equal("lab etcd snapshot: revision 4211 ✓\n", ReadHost(Snapshot));
    }

    [Fact]
    public async Task A_file_that_changes_on_the_host_during_a_read_fails_verification()
    {
        // The destination rewrites the host's file while the bytes arrive, as another process on the host could.
        var destination = new CallbackStream(() => _master0.FileSystem.WriteFile(Snapshot, "rewritten meanwhile\n"));

        var e = await Assert.ThrowsAsync<FileTransferException>(() => _transport.ReadAsync(Master0, Snapshot, destination, true, CancellationToken.None));

        Assert.Contains("is corrupt or the file changed during the transfer", e.Message, StringComparison.Ordinal);
        Assert.Contains($"on the host {LabFileSystem.Sha256Of("rewritten meanwhile\n")}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_directories_are_created_only_when_asked()
    {
        var refused = await Assert.ThrowsAsync<FileTransferException>(() => _transport.WriteAsync(Master0, "/home/core/new/dir/file",
            new MemoryStream("x"u8.ToArray()), new FileWriteOptions(CreateDirectories: false), CancellationToken.None));
        Assert.Contains("the directory /home/core/new/dir does not exist on master-0", refused.Message, StringComparison.Ordinal);
        Assert.False(_master0.FileSystem.DirectoryExists("/home/core/new"));

        await _transport.WriteAsync(Master0, "/home/core/new/dir/file", new MemoryStream("x"u8.ToArray()), new FileWriteOptions(), CancellationToken.None);
        Assert.Equal("x", ReadHost("/home/core/new/dir/file"));
    }

    [Fact]
    public async Task Writing_over_a_directory_is_refused()
    {
        var e = await Assert.ThrowsAsync<FileTransferException>(() => _transport.WriteAsync(Master0, "/home/core/assets",
            new MemoryStream("x"u8.ToArray()), new FileWriteOptions(), CancellationToken.None));
        Assert.Contains("/home/core/assets is a directory", e.Message, StringComparison.Ordinal);
        Assert.True(_master0.FileSystem.FileExists(Snapshot));
    }

    [Fact]
    public async Task A_failing_source_is_not_taken_for_a_short_file()
    {
        var e = await Assert.ThrowsAsync<FileTransferException>(() => _transport.WriteAsync(Master0, Snapshot,
            new CallbackStream(() => throw new IOException("disk read error"), readable: true), new FileWriteOptions(), CancellationToken.None));

        Assert.Contains("reading the source failed after 0 bytes (disk read error)", e.Message, StringComparison.Ordinal);
        Assert.Equal("lab etcd snapshot: revision 4211 ✓\n", ReadHost(Snapshot));
    }

    [Theory]
    [InlineData("relative/path", null)]
    [InlineData("/home/core/x", "rw-------")]
    [InlineData("/home/core/x", "0600 && rm")]
    public async Task Bad_arguments_are_refused_before_anything_moves(string path, string? mode)
    {
        await Assert.ThrowsAsync<ArgumentException>(() =>
            _transport.WriteAsync(Master0, path, new MemoryStream("x"u8.ToArray()), new FileWriteOptions(Mode: mode), CancellationToken.None));
        Assert.False(_master0.FileSystem.FileExists("/home/core/x"));
    }

    private string ReadHost(string path) => _master0.FileSystem.TryReadFile(path, out var content) ? content : "(missing)";

    /// <summary>Runs <paramref name="onUse"/> on the first write (as a destination) or read (as a source).</summary>
    private sealed class CallbackStream(Action onUse, bool readable = false) : Stream
    {
        private readonly MemoryStream _inner = new();
        public override bool CanRead => readable;
        public override bool CanSeek => false;
        public override bool CanWrite => !readable;
        public override long Length => _inner.Length;
        public override long Position { get => _inner.Position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count)
        {
            onUse();
            return 0;
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            onUse();
            _inner.Write(buffer, offset, count);
        }
    }
}
