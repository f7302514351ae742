using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using RecoveryConsole.Lab.Hosted;

namespace RecoveryConsole.Lab.Cloud;

/// <summary>S3's REST protocol, path-style, for the estate's one bucket: PUT/GET/HEAD object and ListObjectsV2.</summary>
internal sealed class LabS3Handler(HostedEstate estate)
{
    private S3Bucket Bucket => estate.S3;

    public string? LastPayloadHash { get; private set; }

    public async Task HandleAsync(HttpContext context, string target)
    {
        var request = context.Request;
        var query = target.IndexOf('?');
        var rawPath = query < 0 ? target : target[..query];
        var rawQuery = query < 0 ? "" : target[(query + 1)..];
        var segments = rawPath.TrimStart('/').Split('/', 2);
        var bucket = Uri.UnescapeDataString(segments[0]);
        var key = segments.Length > 1 ? Uri.UnescapeDataString(segments[1]) : "";
        var resource = Uri.UnescapeDataString(rawPath);
        var headers = LabCloudEndpoint.HeadersOf(request);

        var verdict = estate.Verifier.Verify(request.Method, rawPath, rawQuery, headers, "s3");
        if (!verdict.Accepted)
        {
            await Refuse(context, verdict.Code!, verdict.Message!, resource).ConfigureAwait(false);
            return;
        }
        if (bucket != Bucket.Name)
        {
            await Refuse(context, "NoSuchBucket", "The specified bucket does not exist", resource).ConfigureAwait(false);
            return;
        }

        if (key.Length == 0)
        {
            if (HttpMethods.IsGet(request.Method) && SigV4.ParseQuery(rawQuery) is var q && q.Any(p => p is ("list-type", "2")))
                await ListAsync(context, q.Where(p => p.Name == "prefix").Select(p => p.Value).FirstOrDefault() ?? "").ConfigureAwait(false);
            else if (HttpMethods.IsHead(request.Method)) context.Response.StatusCode = 200; // HeadBucket
            else await Refuse(context, "NotImplemented", "The lab's S3 serves PUT, GET and HEAD of objects and ListObjectsV2 (list-type=2) only.", resource).ConfigureAwait(false);
            return;
        }

        if (HttpMethods.IsPut(request.Method)) await PutAsync(context, key, verdict, headers, resource).ConfigureAwait(false);
        else if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) await GetAsync(context, key, resource).ConfigureAwait(false);
        else await Refuse(context, "MethodNotAllowed", $"The specified method ({request.Method}) is not allowed against this resource.", resource).ConfigureAwait(false);
    }

    private async Task PutAsync(HttpContext context, string key, SigV4Verdict verdict, IReadOnlyDictionary<string, string> headers, string resource)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        var body = buffer.ToArray();
        LastPayloadHash = verdict.PayloadHash;
        byte[] content;
        if (verdict.PayloadHash.StartsWith("STREAMING-", StringComparison.Ordinal))
        {
            var (decoded, code, message) = AwsChunkedBody.Decode(body, verdict, headers);
            if (decoded is null)
            {
                await Refuse(context, code!, message!, resource).ConfigureAwait(false);
                return;
            }
            content = decoded;
        }
        else
        {
            if (verdict.PayloadHash != SigV4Verifier.UnsignedPayload && verdict.PayloadHash != SigV4.Sha256Hex(body))
            {
                await Refuse(context, "XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.", resource).ConfigureAwait(false);
                return;
            }
            content = body;
        }
        if (content.LongLength > LabCloudEndpoint.MaxObjectBytes)
        {
            await Refuse(context, "EntityTooLarge", $"Your proposed upload exceeds the lab's maximum of {LabCloudEndpoint.MaxObjectBytes} bytes.", resource).ConfigureAwait(false);
            return;
        }
        foreach (var (name, value) in headers)
            if (AwsChunkedBody.CheckDigest(name, value, content) is { } bad)
            {
                await Refuse(context, "BadDigest", bad, resource).ConfigureAwait(false);
                return;
            }
        // Checked above (header or trailer), so the object keeps its SHA-256 as S3 keeps the checksum an upload declared.
        var declaredSha256 = headers.ContainsKey("x-amz-checksum-sha256")
            || (headers.GetValueOrDefault("x-amz-trailer") ?? "").Contains("x-amz-checksum-sha256", StringComparison.OrdinalIgnoreCase);
        Bucket.Put(key, content, estate.Time.GetUtcNow(), declaredSha256);
        var stored = Bucket.Find(key)!;
        context.Response.StatusCode = 200;
        context.Response.Headers.ETag = $"\"{stored.ETag}\"";
        context.Response.Headers["x-amz-request-id"] = LabCloudErrors.RequestId;
    }

    private async Task GetAsync(HttpContext context, string key, string resource)
    {
        if (Bucket.Find(key) is not { } stored)
        {
            await Refuse(context, "NoSuchKey", "The specified key does not exist.", resource).ConfigureAwait(false);
            return;
        }
        var response = context.Response;
        response.StatusCode = 200;
        response.ContentType = "application/octet-stream";
        response.ContentLength = stored.Content.LongLength;
        response.Headers.ETag = $"\"{stored.ETag}\"";
        response.Headers.LastModified = stored.Modified.ToString("R", CultureInfo.InvariantCulture);
        response.Headers["x-amz-request-id"] = LabCloudErrors.RequestId;
        if (stored.ChecksumSha256 is { } sha256 && string.Equals(context.Request.Headers["x-amz-checksum-mode"], "ENABLED", StringComparison.OrdinalIgnoreCase))
            response.Headers["x-amz-checksum-sha256"] = sha256;
        if (HttpMethods.IsGet(context.Request.Method)) await response.Body.WriteAsync(stored.Content, context.RequestAborted).ConfigureAwait(false);
    }

    private async Task ListAsync(HttpContext context, string prefix)
    {
        var xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
        var keys = Bucket.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        xml.Append($"<Name>{LabCloudErrors.Escape(Bucket.Name)}</Name><Prefix>{LabCloudErrors.Escape(prefix)}</Prefix><KeyCount>{keys.Count}</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>");
        foreach (var key in keys)
            if (Bucket.Find(key) is { } o)
                xml.Append($"<Contents><Key>{LabCloudErrors.Escape(key)}</Key><LastModified>{o.Modified.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}</LastModified><ETag>&quot;{o.ETag}&quot;</ETag><Size>{o.Content.LongLength}</Size><StorageClass>STANDARD</StorageClass></Contents>");
        xml.Append("</ListBucketResult>");
        await LabCloudEndpoint.WriteXmlAsync(context.Response, 200, xml.ToString()).ConfigureAwait(false);
    }

    private static Task Refuse(HttpContext context, string code, string message, string resource) =>
        LabCloudEndpoint.WriteXmlAsync(context.Response, code == "EntityTooLarge" ? 400 : LabCloudErrors.StatusOf(code), LabCloudErrors.S3(code, message, resource));
}
