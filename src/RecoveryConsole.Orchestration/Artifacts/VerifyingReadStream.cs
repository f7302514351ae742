using System.Security.Cryptography;

namespace RecoveryConsole.Orchestration.Artifacts;

/// <summary>
/// Reads a stored artifact while hashing it; the read that reaches the end compares with the SHA-256 recorded when it
/// was saved and throws <see cref="InvalidDataException"/> on a difference. A consumer that stops early gets no verdict.
/// </summary>
internal sealed class VerifyingReadStream(FileStream file, Artifact expected) : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _read;
    private bool _verified;

    public override bool CanRead => true;
    public override bool CanSeek => false; // seeking would hash bytes out of order
    public override bool CanWrite => false;
    public override long Length => expected.Bytes;
    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer) => Account(buffer, file.Read(buffer));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await file.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Account(buffer.Span, read);
    }

    private int Account(ReadOnlySpan<byte> buffer, int read)
    {
        _hash.AppendData(buffer[..read]);
        _read += read;
        if (_read > expected.Bytes) Fail($"{_read} bytes or more on disk, {expected.Bytes} recorded");
        if (read == 0 && buffer.Length > 0 && !_verified)
        {
            var sha = Convert.ToHexStringLower(_hash.GetHashAndReset());
            if (_read != expected.Bytes) Fail($"{_read} bytes on disk, {expected.Bytes} recorded");
            if (sha != expected.Sha256) Fail($"SHA-256 on disk {sha}, recorded {expected.Sha256}");
            _verified = true;
        }
        return read;
    }

    private void Fail(string difference) => throw new InvalidDataException(
        $"Artifact '{expected.Name}' of run {expected.RunId} is corrupt: {difference} when it was saved ({expected.Origin}). Do not use this copy.");

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            file.Dispose();
            _hash.Dispose();
        }
        base.Dispose(disposing);
    }
}
