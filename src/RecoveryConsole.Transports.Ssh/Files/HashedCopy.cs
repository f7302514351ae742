using System.Security.Cryptography;

namespace RecoveryConsole.Transports.Ssh.Files;

/// <summary>Copies a stream while hashing exactly the bytes copied: the console's side of every checksum.</summary>
internal static class HashedCopy
{
    public static async Task<(string Sha256, long Bytes)> CopyAsync(Stream source, Stream destination, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        long total = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            total += read;
        }
        await destination.FlushAsync(cancellationToken).ConfigureAwait(false);
        return (Convert.ToHexStringLower(hash.GetHashAndReset()), total);
    }
}
