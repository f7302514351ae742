using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace RecoveryConsole.Lab.Cloud;

/// <summary>
/// Decodes an aws-chunked upload body (what AWSSDK.S3 sends by default): "size[;chunk-signature=sig]\r\ndata\r\n" up to a
/// zero-size chunk, then trailer lines (x-amz-checksum-crc32, x-amz-trailer-signature). Signed chunks are chained from the
/// request's signature and checked one by one; the checksum trailer is checked against the decoded bytes.
/// </summary>
internal static class AwsChunkedBody
{
    /// <summary>The decoded bytes, or S3's error code and message.</summary>
    public static (byte[]? Content, string? Code, string? Message) Decode(byte[] body, SigV4Verdict verdict, IReadOnlyDictionary<string, string> headers)
    {
        var data = new MemoryStream();
        var at = 0;
        var previous = verdict.Chunks?.SeedSignature;
        while (true)
        {
            var line = ReadLine(body, ref at);
            if (line is null) return Incomplete();
            var semicolon = line.IndexOf(';');
            var sizeText = semicolon < 0 ? line : line[..semicolon];
            if (!int.TryParse(sizeText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size) || size < 0 || at + size > body.Length)
                return (null, "IncompleteBody", "The aws-chunked body is malformed: a chunk size is not a hexadecimal number within the body.");
            var chunk = body.AsSpan(at, size);
            at += size;
            if (verdict.Chunks is { } signing)
            {
                var given = semicolon < 0 ? null : line[(semicolon + 1)..].Split('=', 2) is ["chunk-signature", var s] ? s : null;
                var expected = SigV4.HmacHex(signing.SigningKey,
                    $"AWS4-HMAC-SHA256-PAYLOAD\n{signing.AmzDate}\n{signing.Scope}\n{previous}\n{SigV4.EmptyHash}\n{SigV4.Sha256Hex(chunk)}");
                if (given is null || !SigV4.SameSignature(expected, given)) return (null, "SignatureDoesNotMatch", SigV4Verifier.MismatchMessage);
                previous = expected;
            }
            data.Write(chunk);
            if (size == 0) break;
            if (ReadLine(body, ref at) is not "") return Incomplete();
        }

        var trailers = new List<(string Name, string Value)>();
        string? trailerSignature = null;
        while (ReadLine(body, ref at) is { Length: > 0 } line)
        {
            var colon = line.IndexOf(':');
            if (colon < 0) return (null, "MalformedTrailerError", $"The request contained trailing data that was not well-formed: '{line}'.");
            var (name, value) = (line[..colon].Trim().ToLowerInvariant(), line[(colon + 1)..].Trim());
            if (name == "x-amz-trailer-signature") trailerSignature = value;
            else trailers.Add((name, value));
        }

        if (verdict.PayloadHash == SigV4Verifier.StreamingSignedTrailer && verdict.Chunks is { } s2)
        {
            var canonical = string.Concat(trailers.Select(t => $"{t.Name}:{t.Value}\n"));
            var expected = SigV4.HmacHex(s2.SigningKey, $"AWS4-HMAC-SHA256-TRAILER\n{s2.AmzDate}\n{s2.Scope}\n{previous}\n{SigV4.Sha256Hex(canonical)}");
            if (trailerSignature is null || !SigV4.SameSignature(expected, trailerSignature)) return (null, "SignatureDoesNotMatch", SigV4Verifier.MismatchMessage);
        }

        var content = data.ToArray();
        if (headers.GetValueOrDefault("x-amz-decoded-content-length") is { } declared && declared != content.Length.ToString(CultureInfo.InvariantCulture))
            return (null, "IncompleteBody", $"You did not provide the number of bytes specified by the x-amz-decoded-content-length header ({declared}; received {content.Length}).");
        foreach (var expectedTrailer in (headers.GetValueOrDefault("x-amz-trailer") ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            if (trailers.All(t => t.Name != expectedTrailer.ToLowerInvariant()))
                return (null, "MalformedTrailerError", $"The request declared the trailer {expectedTrailer} but did not send it.");
        foreach (var (name, value) in trailers)
            if (CheckDigest(name, value, content) is { } bad) return (null, "BadDigest", bad);
        return (content, null, null);
    }

    /// <summary>Checks an x-amz-checksum-* value against the content; null when it matches (or is not a checksum).</summary>
    public static string? CheckDigest(string name, string value, byte[] content)
    {
        if (!name.StartsWith("x-amz-checksum-", StringComparison.Ordinal) || name == "x-amz-checksum-type") return null;
        var actual = name switch
        {
            "x-amz-checksum-crc32" => Crc32.Base64(content),
            "x-amz-checksum-sha256" => Convert.ToBase64String(SHA256.HashData(content)),
            "x-amz-checksum-sha1" => Convert.ToBase64String(SHA1.HashData(content)),
            _ => null,
        };
        if (actual is null) return $"The lab's S3 does not compute {name}; use CRC32, SHA1 or SHA256.";
        return actual == value ? null : $"The {name["x-amz-checksum-".Length..].ToUpperInvariant()} you specified did not match the calculated checksum.";
    }

    private static (byte[]?, string?, string?) Incomplete() => (null, "IncompleteBody", "The aws-chunked body ended before its final zero-size chunk.");

    /// <summary>The next line without its CRLF (a lone LF accepted), or null at the end of the body.</summary>
    private static string? ReadLine(byte[] body, ref int at)
    {
        if (at >= body.Length) return null;
        var end = Array.IndexOf(body, (byte)'\n', at);
        if (end < 0) end = body.Length;
        var line = Encoding.ASCII.GetString(body, at, end - at).TrimEnd('\r');
        at = end + 1;
        return line;
    }
}
