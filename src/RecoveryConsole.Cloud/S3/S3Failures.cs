using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;
using RecoveryConsole.Orchestration.Clusters;
using RecoveryConsole.Orchestration.Engine;

namespace RecoveryConsole.Cloud.S3;

/// <summary>What S3 (or the way to it) said, in words for the operator; never a stack trace, never the secret.</summary>
internal static class S3Failures
{
    private static readonly HashSet<string> CredentialCodes = new(StringComparer.Ordinal)
    {
        "SignatureDoesNotMatch", "InvalidAccessKeyId", "AccessDenied", "ExpiredToken", "InvalidToken", "RequestTimeTooSkewed",
    };

    /// <param name="doing">What was attempted, e.g. "upload to".</param>
    /// <param name="consequence">What it means for the run, e.g. "nothing was uploaded".</param>
    public static async Task<T> Explained<T>(CloudAccount account, string bucket, string key, string consequence, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try { return await call(); }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is not StepFailedException)
        {
            throw new StepFailedException(Explain(e, account, bucket, key, consequence), inner: e);
        }
    }

    public static string Explain(Exception e, CloudAccount account, string bucket, string key, string consequence)
    {
        if (e is AmazonS3Exception s3 && !string.IsNullOrEmpty(s3.ErrorCode))
        {
            if (CredentialCodes.Contains(s3.ErrorCode))
                return $"S3 refused the credentials for bucket {bucket} ({s3.ErrorCode}): {consequence}.";
            if (s3.ErrorCode == "NoSuchBucket")
                return $"S3 bucket {bucket} does not exist at {CloudAccounts.S3Endpoint(account)} (NoSuchBucket): {consequence}.";
            if (s3.ErrorCode == "NoSuchKey" || s3.StatusCode == HttpStatusCode.NotFound)
                return $"s3://{bucket}/{key} does not exist (no such object, or no such bucket): {consequence}.";
            if (s3.StatusCode == HttpStatusCode.Forbidden)
                return $"S3 refused the credentials for bucket {bucket} ({s3.ErrorCode}): {consequence}.";
            return $"S3 refused s3://{bucket}/{key} ({s3.ErrorCode}: {s3.Message}): {consequence}.";
        }
        if (e is AmazonServiceException { StatusCode: HttpStatusCode.Forbidden })
            return $"S3 refused the credentials for bucket {bucket} (HTTP 403): {consequence}.";
        if (Unreachable(e) is { } why)
            return $"The S3 endpoint {CloudAccounts.S3Endpoint(account)} could not be reached ({why}): {consequence}.";
        return $"S3 failed for s3://{bucket}/{key} ({e.GetType().Name}: {e.Message}): {consequence}.";
    }

    /// <summary>Why the endpoint was not reached (connection refused, name not found, timed out), or null.</summary>
    public static string? Unreachable(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException socket) return socket.Message;
            if (inner is TimeoutException or TaskCanceledException) return "no answer in time";
        }
        for (var inner = e; inner is not null; inner = inner.InnerException)
            if (inner is HttpRequestException http) return http.Message;
        return null;
    }
}
