using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace RecoveryConsole.Orchestration.Transcript;

/// <summary>
/// A SHA-256 over a run's whole transcript in sequence order. Written into the run and the audit chain when the run
/// ends, so an edited, removed or inserted line is detected by recomputing it.
/// </summary>
public static class TranscriptDigest
{
    public static async Task<(string Digest, long Lines)> ComputeAsync(ITranscriptStore store, Guid runId, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long after = 0, count = 0;
        while (true)
        {
            var page = await store.ReadAsync(runId, after, 10_000, cancellationToken);
            if (page.Count == 0) break;
            foreach (var line in page)
            {
                hash.AppendData(Encoding.UTF8.GetBytes(Canonical(line)));
                count++;
            }
            after = page[^1].Sequence;
        }
        return (Convert.ToHexStringLower(hash.GetHashAndReset()), count);
    }

    private static string Canonical(TranscriptLine l) => string.Join('\t',
        l.Sequence.ToString(CultureInfo.InvariantCulture), l.StepPath, l.Host, l.Stream.ToString(),
        l.Timestamp.UtcTicks.ToString(CultureInfo.InvariantCulture), l.Text) + "\n";
}
