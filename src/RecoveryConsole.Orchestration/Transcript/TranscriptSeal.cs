using System.Globalization;

namespace RecoveryConsole.Orchestration.Transcript;

/// <summary>
/// What a run's end seals: the transcript digest, its line count and the per-line tags. Its audit detail
/// ("sha256=… lines=… linetags=base64") is the chained record the checks compare against; the run row keeps the digest.
/// </summary>
public sealed record TranscriptSeal(string Digest, long Lines, byte[]? LineTags)
{
    private const string TagsField = " linetags=";

    public string AuditDetail => $"sha256={Digest} lines={Lines.ToString(CultureInfo.InvariantCulture)}" +
                                 (LineTags is null ? "" : TagsField + Convert.ToBase64String(LineTags));

    /// <summary>The detail without the tags (long for long transcripts): what exports show.</summary>
    public static string Short(string auditDetail)
    {
        var at = auditDetail.IndexOf(TagsField, StringComparison.Ordinal);
        return at < 0 ? auditDetail : auditDetail[..at] + " linetags=…";
    }

    /// <summary>Reads a transcript.sealed detail; seals written before per-line tags have none.</summary>
    public static TranscriptSeal? Parse(string auditDetail)
    {
        string? digest = null, tags = null;
        long lines = -1;
        foreach (var part in auditDetail.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part.StartsWith("sha256=", StringComparison.Ordinal)) digest = part[7..];
            else if (part.StartsWith("lines=", StringComparison.Ordinal) && long.TryParse(part[6..], NumberStyles.None, CultureInfo.InvariantCulture, out var n)) lines = n;
            else if (part.StartsWith("linetags=", StringComparison.Ordinal)) tags = part[9..];
        }
        if (digest is null || lines < 0) return null;
        try { return new TranscriptSeal(digest, lines, tags is null ? null : Convert.FromBase64String(tags)); }
        catch (FormatException) { return new TranscriptSeal(digest, lines, null); }
    }
}
