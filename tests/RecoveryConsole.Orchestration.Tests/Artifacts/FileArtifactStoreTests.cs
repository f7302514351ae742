using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using RecoveryConsole.Orchestration.Artifacts;

namespace RecoveryConsole.Orchestration.Tests.Artifacts;

/// <summary>The store over a real temporary folder.</summary>
public sealed class FileArtifactStoreTests : IDisposable
{
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly string _data = Directory.CreateTempSubdirectory("rc-artifacts-").FullName;
    private readonly ManualTime _time = new(new DateTimeOffset(2026, 12, 2, 3, 0, 0, TimeSpan.Zero));
    private readonly FileArtifactStore _store;
    private readonly Guid _run = Guid.NewGuid();

    public FileArtifactStoreTests() => _store = new FileArtifactStore(Path.Combine(_data, "artifacts"), _time);

    public void Dispose() => Directory.Delete(_data, true);

    private static Dictionary<string, string> Labels(params (string Key, string Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value);

    private static Dictionary<string, string> Backup(string cluster, string set) =>
        Labels(("kind", "etcd-backup"), ("cluster", cluster), ("clusterVersion", "4.16.3"), ("backupSet", set));

    private Task<Artifact> SaveAsync(Guid run, string name, byte[] content, Dictionary<string, string>? labels = null) =>
        _store.SaveAsync(run, name, new MemoryStream(content), "master-0:/home/core/assets/backup/" + name, labels ?? [], CancellationToken.None);

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        await using (stream)
        {
            var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            return copy.ToArray();
        }
    }

    [Fact]
    public async Task A_saved_artifact_is_listed_with_its_checksum_and_reads_back_identical()
    {
        var content = RandomNumberGenerator.GetBytes(300_000);

        var saved = await SaveAsync(_run, "snapshot_2026-12-02_030000.db", content, Backup("prod-east", "set-1"));

        Assert.Equal(_run, saved.RunId);
        Assert.Equal(content.Length, saved.Bytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), saved.Sha256);
        Assert.Equal(_time.GetUtcNow(), saved.CreatedAt);
        Assert.Equal("master-0:/home/core/assets/backup/snapshot_2026-12-02_030000.db", saved.Origin);
        Assert.Equal(Backup("prod-east", "set-1"), saved.Labels);
        Assert.Equal(content, await ReadAllAsync(await _store.OpenAsync(_run, saved.Name, CancellationToken.None)));
        Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(_data, "artifacts", _run.ToString(), saved.Name)));
    }

    [Fact]
    public async Task The_list_survives_a_new_store_on_the_same_folder_in_save_order()
    {
        await SaveAsync(_run, "snapshot.db", [1, 2, 3], Backup("prod-east", "set-1"));
        _time.Advance(TimeSpan.FromSeconds(5));
        await SaveAsync(_run, "static_kuberesources.tar.gz", [4, 5], Backup("prod-east", "set-1"));

        var reopened = new FileArtifactStore(Path.Combine(_data, "artifacts"), _time);
        var listed = await reopened.ListAsync(_run, CancellationToken.None);

        Assert.Equal(["snapshot.db", "static_kuberesources.tar.gz"], listed.Select(a => a.Name));
        Assert.Equal(await _store.ListAsync(_run, CancellationToken.None), listed, new ArtifactComparer());
        Assert.Empty(await reopened.ListAsync(Guid.NewGuid(), CancellationToken.None));
    }

    [Fact]
    public async Task Find_returns_every_run_s_artifacts_with_all_the_labels_newest_first()
    {
        var (first, second, other) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await SaveAsync(first, "snapshot.db", [1], Backup("prod-east", "set-1"));
        _time.Advance(TimeSpan.FromHours(1));
        await SaveAsync(other, "snapshot.db", [2], Backup("prod-west", "set-2"));
        _time.Advance(TimeSpan.FromHours(1));
        await SaveAsync(second, "snapshot.db", [3], Backup("prod-east", "set-3"));
        _time.Advance(TimeSpan.FromMinutes(1));
        await SaveAsync(second, "static_kuberesources.tar.gz", [4], Backup("prod-east", "set-3"));
        await SaveAsync(second, "notes.txt", [5], Labels(("cluster", "prod-east")));

        var backups = await _store.FindAsync(Labels(("kind", "etcd-backup"), ("cluster", "prod-east")), CancellationToken.None);
        var set3 = await _store.FindAsync(Labels(("backupSet", "set-3")), CancellationToken.None);
        var everything = await _store.FindAsync(Labels(), CancellationToken.None);
        var none = await _store.FindAsync(Labels(("cluster", "PROD-EAST")), CancellationToken.None);

        Assert.Equal([(second, "static_kuberesources.tar.gz"), (second, "snapshot.db"), (first, "snapshot.db")], backups.Select(a => (a.RunId, a.Name)));
        Assert.Equal(["static_kuberesources.tar.gz", "snapshot.db"], set3.Select(a => a.Name));
        Assert.Equal(5, everything.Count);
        Assert.Empty(none);
    }

    [Fact]
    public async Task Find_on_a_store_that_saved_nothing_finds_nothing_and_creates_nothing()
    {
        Assert.Empty(await _store.FindAsync(Labels(("kind", "etcd-backup")), CancellationToken.None));
        Assert.False(Directory.Exists(_store.Root));
    }

    [Fact]
    public async Task Folders_are_0700_and_files_0600_even_under_a_loose_umask_folder()
    {
        Directory.CreateDirectory(_store.Root);
        File.SetUnixFileMode(_store.Root, OwnerOnlyDirectory | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

        await SaveAsync(_run, "snapshot.db", [1, 2, 3]);

        var run = Path.Combine(_store.Root, _run.ToString());
        Assert.Equal(OwnerOnlyDirectory, File.GetUnixFileMode(_store.Root));
        Assert.Equal(OwnerOnlyDirectory, File.GetUnixFileMode(run));
        Assert.Equal(OwnerOnlyFile, File.GetUnixFileMode(Path.Combine(run, "snapshot.db")));
        Assert.Equal(OwnerOnlyFile, File.GetUnixFileMode(Path.Combine(run, ".manifest.json")));
        Assert.Equal(["snapshot.db", ".manifest.json"], Directory.GetFiles(run).Select(Path.GetFileName).OrderDescending(StringComparer.Ordinal)); // no partial left
    }

    [Theory]
    [InlineData("../escape.db", "contains a path separator")]
    [InlineData("..", "contains '..'")]
    [InlineData("snapshot..db", "contains '..'")]
    [InlineData("backup/snapshot.db", "contains a path separator")]
    [InlineData("backup\\snapshot.db", "contains a path separator")]
    [InlineData("/etc/passwd", "contains a path separator")]
    [InlineData("snap\nshot.db", "contains a control character")]
    [InlineData("snap\u001b[31mshot.db", "contains a control character")]
    [InlineData(".manifest.json", "starts with '.'")]
    [InlineData("  ", "is empty")]
    public async Task A_name_that_is_not_one_plain_file_name_is_refused(string name, string problem)
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => SaveAsync(_run, name, [1]));

        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
        Assert.False(Directory.Exists(_store.Root));
        await Assert.ThrowsAsync<ArgumentException>(() => _store.OpenAsync(_run, name, CancellationToken.None));
    }

    [Fact]
    public async Task A_name_is_never_reused_within_a_run()
    {
        await SaveAsync(_run, "snapshot.db", [1, 2, 3]);

        var e = await Assert.ThrowsAsync<IOException>(() => SaveAsync(_run, "snapshot.db", [9, 9]));
        await SaveAsync(Guid.NewGuid(), "snapshot.db", [4]); // another run may use it

        Assert.Contains("already has an artifact named 'snapshot.db'", e.Message, StringComparison.Ordinal);
        Assert.Equal([1, 2, 3], await ReadAllAsync(await _store.OpenAsync(_run, "snapshot.db", CancellationToken.None)));
        Assert.Single(await _store.ListAsync(_run, CancellationToken.None));
    }

    [Fact]
    public async Task Bytes_altered_on_disk_are_detected_when_the_artifact_is_read()
    {
        var content = RandomNumberGenerator.GetBytes(200_000);
        await SaveAsync(_run, "snapshot.db", content);
        var path = Path.Combine(_store.Root, _run.ToString(), "snapshot.db");
        content[150_000] ^= 0x01; // one bit, same size
        await File.WriteAllBytesAsync(path, content);

        await using var stream = await _store.OpenAsync(_run, "snapshot.db", CancellationToken.None);
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => stream.CopyToAsync(Stream.Null));

        Assert.StartsWith($"Artifact 'snapshot.db' of run {_run} is corrupt: SHA-256 on disk {Convert.ToHexStringLower(SHA256.HashData(content))}, recorded ",
            e.Message, StringComparison.Ordinal);
        Assert.EndsWith("Do not use this copy.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_whose_size_changed_is_refused_when_opened()
    {
        await SaveAsync(_run, "snapshot.db", [1, 2, 3, 4]);
        await File.AppendAllTextAsync(Path.Combine(_store.Root, _run.ToString(), "snapshot.db"), "x");

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => _store.OpenAsync(_run, "snapshot.db", CancellationToken.None));

        Assert.Contains("is corrupt: 5 bytes on disk, 4 recorded when it was saved", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_artifact_or_a_listed_file_that_is_gone_is_FileNotFoundException()
    {
        await SaveAsync(_run, "snapshot.db", [1]);
        File.Delete(Path.Combine(_store.Root, _run.ToString(), "snapshot.db"));

        var unknown = await Assert.ThrowsAsync<FileNotFoundException>(() => _store.OpenAsync(_run, "other.db", CancellationToken.None));
        var gone = await Assert.ThrowsAsync<FileNotFoundException>(() => _store.OpenAsync(_run, "snapshot.db", CancellationToken.None));

        Assert.Equal($"Run {_run} has no artifact named 'other.db'.", unknown.Message);
        Assert.Contains("is listed but its file", gone.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_source_that_fails_leaves_neither_a_file_nor_a_listing()
    {
        var e = await Assert.ThrowsAsync<IOException>(() =>
            _store.SaveAsync(_run, "snapshot.db", new GeneratedStream(1_000_000, failAt: 300_000), "master-0", Labels(), CancellationToken.None));

        Assert.Equal("connection lost", e.Message);
        Assert.Empty(await _store.ListAsync(_run, CancellationToken.None));
        Assert.Empty(Directory.GetFiles(Path.Combine(_store.Root, _run.ToString())));
    }

    [Fact]
    public async Task A_large_save_streams_to_disk_instead_of_buffering_the_whole_file()
    {
        const long size = 64L * 1024 * 1024;
        const long checkAt = 48L * 1024 * 1024;
        var run = Path.Combine(_store.Root, _run.ToString());
        long onDiskAtCheck = -1;
        var source = new GeneratedStream(size, onPosition: (checkAt, () => onDiskAtCheck = Directory.GetFiles(run).Sum(f => new FileInfo(f).Length)));

        var saved = await _store.SaveAsync(_run, "snapshot.db", source, "master-0", Labels(), CancellationToken.None);

        Assert.Equal(size, saved.Bytes);
        Assert.Equal(source.Sha256, saved.Sha256);
        Assert.True(onDiskAtCheck >= checkAt - (1 << 17), $"only {onDiskAtCheck} bytes were on disk after {checkAt} had been read");
    }

    [Fact]
    public void AddArtifactStore_registers_the_file_store_at_the_given_folder()
    {
        using var provider = new ServiceCollection().AddArtifactStore(Path.Combine(_data, "artifacts")).BuildServiceProvider();

        var store = Assert.IsType<FileArtifactStore>(provider.GetRequiredService<IArtifactStore>());

        Assert.Equal(Path.Combine(_data, "artifacts"), store.Root);
    }

    private sealed class ArtifactComparer : IEqualityComparer<Artifact>
    {
        public bool Equals(Artifact? x, Artifact? y) => x is not null && y is not null && x with { Labels = y.Labels } == y
            && x.Labels.OrderBy(l => l.Key).SequenceEqual(y.Labels.OrderBy(l => l.Key));

        public int GetHashCode(Artifact obj) => obj.Name.GetHashCode(StringComparison.Ordinal);
    }

    /// <summary>Pseudo-random bytes made on the fly (never held whole), hashed as they are given out.</summary>
    private sealed class GeneratedStream(long size, long failAt = -1, (long Position, Action Action)? onPosition = null) : Stream
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private readonly Random _random = new(42);
        private long _given;
        private bool _fired;

        public string Sha256 => Convert.ToHexStringLower(_hash.GetCurrentHash());
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
            if (failAt >= 0 && _given >= failAt) throw new IOException("connection lost");
            if (onPosition is { } check && !_fired && _given >= check.Position)
            {
                _fired = true;
                check.Action();
            }
            var n = (int)Math.Min(count, size - _given);
            _random.NextBytes(buffer.AsSpan(offset, n));
            _hash.AppendData(buffer, offset, n);
            _given += n;
            return n;
        }
    }
}

/// <summary>A clock the test moves by hand.</summary>
internal sealed class ManualTime(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;
    public override DateTimeOffset GetUtcNow() => _now;
    public void Advance(TimeSpan by) => _now += by;
}
