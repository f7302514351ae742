using RecoveryConsole.Orchestration.Actions;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Cloud.S3;

/// <summary>Is the object there, and is it the one expected? A HEAD: size, SHA-256, last modified.</summary>
public sealed class S3StatusAction : IStepAction
{
    public string Name => "s3Status";
    public IReadOnlyCollection<string> Arguments { get; } = ["bucket", "key", "sha256"];
    public IReadOnlyCollection<string> Outputs { get; } = ["bytes", "sha256", "lastModified"];

    public async Task ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var account = CloudAccounts.Of(context);
        var location = S3Location.Of(context);
        var expected = context.Argument("sha256", "").Trim().ToLowerInvariant();
        using var s3 = S3Clients.For(account);
        var facts = await S3Failures.Explained(account, location.Bucket, location.Key, "its status is unknown",
            () => S3ObjectFacts.HeadAsync(s3, location, cancellationToken), cancellationToken);
        context.Output.Line(OutputStream.Stdout, $"{location.Url}: {facts.Bytes} bytes, sha256 {facts.Sha256 ?? "(not kept by S3)"}, last modified {facts.LastModifiedText}");
        if (expected.Length > 0 && facts.Sha256 != expected)
            throw new StepFailedException(facts.Sha256 is null
                ? $"{location.Url} carries no SHA-256, so it cannot be shown to be the expected {expected}."
                : $"{location.Url} is not the expected object: its sha256 is {facts.Sha256}, expected {expected}.");
        context.SetOutput("bytes", facts.Bytes);
        context.SetOutput("sha256", facts.Sha256 ?? "");
        context.SetOutput("lastModified", facts.LastModifiedText);
    }
}
