using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace RecoveryConsole.Orchestration.Transcript;

/// <summary>
/// A SHA-256 over a run's whole transcript in sequence order, and a 4-byte tag per line (the first bytes of the line's own
/// SHA-256). Written into the run and the audit chain when the run ends: the digest says whether anything changed, the
/// tags say which line changed first.
/// </summary>
public static class TranscriptDigest
{
    public const int TagLength = 4;

    public static async Task<(string Digest, long Lines)> ComputeAsync(ITranscriptStore store, Guid runId, CancellationToken cancellationToken)
    {
        var seal = await SealAsync(store, runId, cancellationToken);
        return (seal.Digest, seal.Lines);
    }

    public static async Task<TranscriptSeal> SealAsync(ITranscriptStore store, Guid runId, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var tags = new MemoryStream();
        long after = 0, count = 0;
        var lineHash = new byte[SHA256.HashSizeInBytes];
        while (true)
        {
            var page = await store.ReadAsync(runId, after, 10_000, cancellationToken);
            if (page.Count == 0) break;
            foreach (var line in page)
            {
                var bytes = Encoding.UTF8.GetBytes(Canonical(line));
                hash.AppendData(bytes);
                SHA256.HashData(bytes, lineHash);
                tags.Write(lineHash[..TagLength]);
                count++;
            }
            after = page[^1].Sequence;
        }
        return new TranscriptSeal(Convert.ToHexStringLower(hash.GetHashAndReset()), count, tags.ToArray());
    }

    public static byte[] TagOf(TranscriptLine line) => SHA256.HashData(Encoding.UTF8.GetBytes(Canonical(line)))[..TagLength];

    private static string Canonical(TranscriptLine l) => string.Join('\t',
        l.Sequence.ToString(CultureInfo.InvariantCulture), l.StepPath, l.Host, l.Stream.ToString(),
        l.Timestamp.UtcTicks.ToString(CultureInfo.InvariantCulture), l.Text) + "\n";
}
