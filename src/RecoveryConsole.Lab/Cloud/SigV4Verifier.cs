using System.Globalization;
using System.Text;

namespace RecoveryConsole.Lab.Cloud;

/// <summary>
/// Checks AWS Signature Version 4 as S3 and Route53 do, header (Authorization) or query (presigned URL) form, against
/// the estate's one key pair and the LAB's clock: an expired presigned URL is refused in drill time, not wall time.
/// </summary>
internal sealed class SigV4Verifier(LabCloudCredentials credentials, TimeProvider time)
{
    public const string UnsignedPayload = "UNSIGNED-PAYLOAD";
    public const string StreamingSigned = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
    public const string StreamingSignedTrailer = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
    public const string StreamingUnsignedTrailer = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";

    private static readonly TimeSpan AllowedSkew = TimeSpan.FromMinutes(15);
    private const long MaxExpires = 604800; // seven days, S3's limit for a presigned URL

    public const string MismatchMessage = "The request signature we calculated does not match the signature you provided. Check your key and signing method.";

    /// <summary><paramref name="headers"/>: lower-case names; <paramref name="rawPath"/> and <paramref name="rawQuery"/> as they came on the wire.</summary>
    public SigV4Verdict Verify(string method, string rawPath, string rawQuery, IReadOnlyDictionary<string, string> headers, string service)
    {
        var query = SigV4.ParseQuery(rawQuery);
        var authorization = headers.GetValueOrDefault("authorization");
        if (authorization is not null) return VerifyHeader(method, rawPath, query, headers, service, authorization);
        if (query.Any(p => p.Name == "X-Amz-Signature")) return VerifyQuery(method, rawPath, query, headers, service);
        return SigV4Verdict.Refuse(service == "s3" ? "AccessDenied" : "MissingAuthenticationToken",
            service == "s3" ? "Access Denied" : "Missing Authentication Token");
    }

    private SigV4Verdict VerifyHeader(string method, string rawPath, List<(string Name, string Value)> query, IReadOnlyDictionary<string, string> headers, string service, string authorization)
    {
        if (!authorization.StartsWith(SigV4.Algorithm + " ", StringComparison.Ordinal))
            return SigV4Verdict.Refuse("InvalidArgument", "Unsupported Authorization Type (only AWS4-HMAC-SHA256 is accepted)");
        var fields = authorization[(SigV4.Algorithm.Length + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(f => f.Split('=', 2)).Where(f => f.Length == 2).ToDictionary(f => f[0], f => f[1], StringComparer.Ordinal);
        if (!fields.TryGetValue("Credential", out var credential) || !fields.TryGetValue("SignedHeaders", out var signedHeaders) || !fields.TryGetValue("Signature", out var signature))
            return SigV4Verdict.Refuse("AuthorizationHeaderMalformed", "The authorization header is malformed; it must carry Credential, SignedHeaders and Signature.");
        var amzDate = headers.GetValueOrDefault("x-amz-date");
        if (!SigV4.TryParseDate(amzDate, out var signedAt))
            return SigV4Verdict.Refuse("AccessDenied", "AWS authentication requires a valid Date or x-amz-date header");
        var now = time.GetUtcNow();
        if ((signedAt - now).Duration() > AllowedSkew)
            return SigV4Verdict.Refuse("RequestTimeTooSkewed", $"The difference between the request time ({signedAt.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}) and the server's time ({now.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}) is too large.");
        var payloadHash = headers.GetValueOrDefault("x-amz-content-sha256");
        if (payloadHash is null)
        {
            if (service == "s3") return SigV4Verdict.Refuse("InvalidRequest", "Missing required header for this request: x-amz-content-sha256");
            payloadHash = SigV4.EmptyHash; // Route53 takes the hash of the (empty) body it received
        }
        return Check(method, rawPath, query, headers, service, credential, signedHeaders, signature, amzDate!, payloadHash);
    }

    private SigV4Verdict VerifyQuery(string method, string rawPath, List<(string Name, string Value)> query, IReadOnlyDictionary<string, string> headers, string service)
    {
        string? Get(string name) => query.Where(p => p.Name == name).Select(p => p.Value).FirstOrDefault();
        var algorithm = Get("X-Amz-Algorithm");
        var credential = Get("X-Amz-Credential");
        var amzDate = Get("X-Amz-Date");
        var expires = Get("X-Amz-Expires");
        var signedHeaders = Get("X-Amz-SignedHeaders");
        var signature = Get("X-Amz-Signature")!;
        if (algorithm != SigV4.Algorithm || credential is null || signedHeaders is null || !SigV4.TryParseDate(amzDate, out var signedAt))
            return SigV4Verdict.Refuse("AuthorizationQueryParametersError", "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.");
        if (!long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds < 1 || seconds > MaxExpires)
            return SigV4Verdict.Refuse("AuthorizationQueryParametersError", "X-Amz-Expires must be a number of seconds from 1 to 604800 (seven days).");
        if (KnownKey(credential) is { } unknown) return unknown;
        var now = time.GetUtcNow();
        var expiry = signedAt.AddSeconds(seconds);
        if (now > expiry)
            return SigV4Verdict.Refuse("AccessDenied", $"Request has expired (X-Amz-Expires {seconds}, expired {expiry.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}, server time {now.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'})");
        if (signedAt - now > AllowedSkew)
            return SigV4Verdict.Refuse("AccessDenied", "Request is not valid yet");
        return Check(method, rawPath, query, headers, service, credential, signedHeaders, signature, amzDate!, UnsignedPayload);
    }

    private SigV4Verdict? KnownKey(string credential)
    {
        var keyId = credential.Split('/')[0];
        return keyId == credentials.AccessKeyId ? null
            : SigV4Verdict.Refuse("InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.");
    }

    private SigV4Verdict Check(string method, string rawPath, List<(string Name, string Value)> query, IReadOnlyDictionary<string, string> headers, string service,
        string credential, string signedHeaders, string signature, string amzDate, string payloadHash)
    {
        if (KnownKey(credential) is { } unknown) return unknown;
        var parts = credential.Split('/');
        if (parts.Length != 5 || parts[4] != "aws4_request" || parts[1] != amzDate[..8])
            return SigV4Verdict.Refuse("AuthorizationHeaderMalformed", $"The credential '{credential}' is malformed; expected KEY/yyyyMMdd/region/service/aws4_request with the request's date.");
        if (parts[2] != LabCloudCredentials.Region)
            return SigV4Verdict.Refuse("AuthorizationHeaderMalformed", $"The authorization header is malformed; the region '{parts[2]}' is wrong; expecting '{LabCloudCredentials.Region}'");
        if (parts[3] != service)
            return SigV4Verdict.Refuse("SignatureDoesNotMatch", $"Credential should be scoped to correct service: '{service}'.");
        var names = signedHeaders.Split(';');
        if (!names.Contains("host"))
            return SigV4Verdict.Refuse("AccessDenied", "There were headers present in the request which were not signed: host");
        var canonicalHeaders = new StringBuilder();
        foreach (var name in names)
        {
            if (!headers.TryGetValue(name, out var value))
                return SigV4Verdict.Refuse("SignatureDoesNotMatch", MismatchMessage);
            canonicalHeaders.Append(name).Append(':').Append(SigV4.CanonicalValue(value)).Append('\n');
        }
        var canonicalRequest = $"{method}\n{SigV4.CanonicalPath(rawPath)}\n{SigV4.CanonicalQuery(query)}\n{canonicalHeaders}\n{signedHeaders}\n{payloadHash}";
        var scope = string.Join('/', parts[1..]);
        var key = SigV4.SigningKey(credentials.SecretAccessKey, parts[1], parts[2], parts[3]);
        var expected = SigV4.HmacHex(key, SigV4.StringToSign(amzDate, scope, canonicalRequest));
        if (!SigV4.SameSignature(expected, signature)) return SigV4Verdict.Refuse("SignatureDoesNotMatch", MismatchMessage);
        var chunks = payloadHash is StreamingSigned or StreamingSignedTrailer ? new SigV4ChunkContext(key, amzDate, scope, signature.ToLowerInvariant()) : null;
        return SigV4Verdict.Accept(payloadHash, chunks);
    }
}
