using System.Text;
using RecoveryConsole.Lab.Cloud;

namespace RecoveryConsole.Lab.Tests.Cloud;

/// <summary>The unsigned-trailer framing (STREAMING-UNSIGNED-PAYLOAD-TRAILER, what AWSSDK.S3 sends over TLS) decoded and its CRC32 checked.</summary>
[Trait("Category", "S3")]
[Trait("Category", "Security")]
public sealed class AwsChunkedBodyTests
{
    private static readonly SigV4Verdict Unsigned = SigV4Verdict.Accept(SigV4Verifier.StreamingUnsignedTrailer, null);
    private static readonly Dictionary<string, string> Headers = new(StringComparer.Ordinal)
    {
        ["x-amz-trailer"] = "x-amz-checksum-crc32",
        ["x-amz-decoded-content-length"] = "11",
    };

    // CRC-32 of "hello world" is 0x0D4A1185 (the standard check value), base64 DUoRhQ==.
    private static byte[] Body(string crc) => Encoding.ASCII.GetBytes($"6\r\nhello \r\n5\r\nworld\r\n0\r\nx-amz-checksum-crc32:{crc}\r\n\r\n");

    [Fact]
    public void Chunks_are_joined_and_the_trailer_checked()
    {
        var (content, code, _) = AwsChunkedBody.Decode(Body("DUoRhQ=="), Unsigned, Headers);
        Assert.Null(code);
        Assert.Equal("hello world", Encoding.ASCII.GetString(content!));
    }

    [Fact]
    public void A_wrong_crc32_is_a_bad_digest()
    {
        var (content, code, message) = AwsChunkedBody.Decode(Body("AAAAAA=="), Unsigned, Headers);
        Assert.Null(content);
        Assert.Equal("BadDigest", code);
        Assert.Contains("CRC32", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_declared_trailer_that_never_came_and_a_truncated_body_are_refused()
    {
        var noTrailer = Encoding.ASCII.GetBytes("b\r\nhello world\r\n0\r\n\r\n");
        Assert.Equal("MalformedTrailerError", AwsChunkedBody.Decode(noTrailer, Unsigned, Headers).Code);
        var truncated = Encoding.ASCII.GetBytes("b\r\nhello world\r\n");
        Assert.Equal("IncompleteBody", AwsChunkedBody.Decode(truncated, Unsigned, Headers).Code);
    }
}
