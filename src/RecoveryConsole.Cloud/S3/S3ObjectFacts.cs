using System.Globalization;
using Amazon.S3;
using Amazon.S3.Model;

namespace RecoveryConsole.Cloud.S3;

/// <summary>What a HEAD of an object says: its size, its SHA-256 (hex) when S3 keeps one, and when it was written.</summary>
internal sealed record S3ObjectFacts(long Bytes, string? Sha256, DateTimeOffset? LastModified)
{
    /// <summary>The metadata key s3Upload writes (x-amz-meta-sha256): read when the server keeps no SHA-256 checksum.</summary>
    public const string Sha256Metadata = "x-amz-meta-sha256";

    public static async Task<S3ObjectFacts> HeadAsync(IAmazonS3 s3, S3Location location, CancellationToken cancellationToken)
    {
        var head = await s3.GetObjectMetadataAsync(new GetObjectMetadataRequest
        {
            BucketName = location.Bucket, Key = location.Key, ChecksumMode = ChecksumMode.ENABLED,
        }, cancellationToken);
        // S3 gives the SHA-256 it verified on arrival (ChecksumAlgorithm SHA256) as base64; the console speaks hex.
        var sha256 = !string.IsNullOrEmpty(head.ChecksumSHA256) && TryHex(head.ChecksumSHA256) is { } hex ? hex
            : head.Metadata[Sha256Metadata] is { Length: 64 } meta ? meta.ToLowerInvariant() : null;
        DateTimeOffset? modified = head.LastModified is { } m ? new DateTimeOffset(DateTime.SpecifyKind(m, m.Kind == DateTimeKind.Unspecified ? DateTimeKind.Utc : m.Kind)).ToUniversalTime() : null;
        return new S3ObjectFacts(head.ContentLength, sha256, modified);
    }

    public string LastModifiedText => LastModified?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "";

    private static string? TryHex(string base64)
    {
        var bytes = new byte[32];
        return Convert.TryFromBase64String(base64, bytes, out var written) && written == 32 ? Convert.ToHexStringLower(bytes) : null;
    }
}
