using System.Globalization;
using System.Text.RegularExpressions;
using Amazon.S3;
using Amazon.S3.Model;
using RecoveryConsole.Orchestration.Actions;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Procedures.Model;

namespace RecoveryConsole.Cloud.S3;

/// <summary>
/// A presigned GET URL (SigV4) for an object, e.g. the HostedCluster's restoreSnapshotURL (8.6.3 step 6): made just
/// before it is used, since it expires. The URL is a bearer credential: it is a secret output, learnt by the redactor
/// (with its signature on its own) before anything can print it, and stored masked. A resumed run signs it again
/// (<see cref="IRemakeOnResume"/>): a fresh URL, since the old one may have expired meanwhile anyway.
/// </summary>
public sealed partial class S3PresignAction : IRemakeOnResume
{
    /// <summary>The longest a SigV4 presigned URL may live (S3's limit).</summary>
    public static readonly TimeSpan MaxExpiry = TimeSpan.FromDays(7);

    public string Name => "s3Presign";
    public IReadOnlyCollection<string> Arguments { get; } = ["bucket", "key", "expires"];
    public IReadOnlyCollection<string> Outputs { get; } = ["url"];
    public IReadOnlyCollection<string> SecretOutputs { get; } = ["url"];

    public async Task ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var account = CloudAccounts.Of(context);
        var location = S3Location.Of(context);
        var expires = ParseExpiry(context.Argument("expires", "1h"));
        using var s3 = S3Clients.For(account);
        // A URL of a missing object would only fail later, inside the hosted cluster's etcd: say it now.
        var facts = await S3Failures.Explained(account, location.Bucket, location.Key, "no URL was made",
            () => S3ObjectFacts.HeadAsync(s3, location, cancellationToken), cancellationToken);
        var url = await S3Failures.Explained(account, location.Bucket, location.Key, "no URL was made", () => s3.GetPreSignedURLAsync(new GetPreSignedUrlRequest
        {
            BucketName = location.Bucket,
            Key = location.Key,
            Verb = HttpVerb.GET,
            // Counted from the run's clock: the SDK signs with the endpoint's time as it learnt it (it corrects a skewed
            // clock by the service's Date header), which a lab's clock is; on a real cluster both are the machine's.
            Expires = context.Clock.GetUtcNow().UtcDateTime.Add(expires),
            Protocol = account.Endpoint is { Scheme: "http" } ? Protocol.HTTP : Protocol.HTTPS,
        }), cancellationToken);
        // The signature alone too: masked even where the URL appears re-encoded.
        if (SignatureParameter().Match(url) is { Success: true } signature) context.AddSecret(signature.Groups[1].Value);
        context.SetSecretOutput("url", url);
        context.Output.Line(OutputStream.Stdout,
            $"Presigned GET of {location.Url} ({facts.Bytes} bytes), valid for {Durations.Format(expires)}: the URL is a credential and is not shown.");
    }

    /// <summary>1h, 30m, 2h30m, or days (7d); at most <see cref="MaxExpiry"/>.</summary>
    internal static TimeSpan ParseExpiry(string text)
    {
        var trimmed = text.Trim();
        TimeSpan value;
        if (trimmed.EndsWith('d') && int.TryParse(trimmed[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var days)) value = TimeSpan.FromDays(days);
        else if (!Durations.TryParse(trimmed, out value))
            throw new StepFailedException($"expires '{text}' is not a duration (like 1h, 30m or 7d).");
        if (value <= TimeSpan.Zero || value > MaxExpiry)
            throw new StepFailedException($"expires '{text}' is outside what S3 allows for a presigned URL (more than 0, at most 7 days).");
        return value;
    }

    [GeneratedRegex("[?&]X-Amz-Signature=([0-9a-fA-F]+)")]
    private static partial Regex SignatureParameter();
}
