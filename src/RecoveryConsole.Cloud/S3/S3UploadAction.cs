using System.Text.Json.Nodes;
using Amazon.S3;
using Amazon.S3.Model;
using RecoveryConsole.Orchestration.Actions;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Cloud.S3;

/// <summary>
/// Uploads an artifact of this run (an etcd snapshot) to S3 with AWSSDK.S3 (SigV4; S3 checks the body's SHA-256 on
/// arrival), then HEADs the object: its size and SHA-256 must equal the artifact's, or the step fails before anything
/// destructive follows. Replaces the document's hand-signed V2 <c>curl</c> (8.6.2 step 3), which newer regions refuse.
/// </summary>
public sealed class S3UploadAction : IStepAction
{
    private const string NothingUploaded = "nothing was uploaded";

    public string Name => "s3Upload";
    public IReadOnlyCollection<string> Arguments { get; } = ["artifact", "bucket", "key"];
    public IReadOnlyCollection<string> Outputs { get; } = ["url", "sha256", "bytes"];

    public async Task ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var account = CloudAccounts.Of(context);
        var location = S3Location.Of(context);
        var name = context.RequiredArgument("artifact");
        var store = context.Artifacts ?? throw new StepFailedException("This console has no artifact store, so there is nothing to upload.");
        var artifact = (await store.ListAsync(context.RunId, cancellationToken)).FirstOrDefault(a => a.Name == name)
            ?? throw new StepFailedException($"This run has no artifact '{name}' to upload: {NothingUploaded}.");

        context.Output.Line(OutputStream.Stdout, $"Uploading {name} ({artifact.Bytes} bytes, sha256 {artifact.Sha256}) to {location.Url} at {CloudAccounts.S3Endpoint(account)}");
        using var s3 = S3Clients.For(account);
        await using (var content = await store.OpenAsync(context.RunId, name, cancellationToken))
        {
            var put = new PutObjectRequest
            {
                BucketName = location.Bucket,
                Key = location.Key,
                InputStream = content,
                AutoCloseStream = false,
                ChecksumAlgorithm = ChecksumAlgorithm.SHA256,
            };
            put.Headers.ContentLength = artifact.Bytes;
            put.Metadata.Add(S3ObjectFacts.Sha256Metadata, artifact.Sha256);
            await S3Failures.Explained(account, location.Bucket, location.Key, NothingUploaded, () => s3.PutObjectAsync(put, cancellationToken), cancellationToken);
        }

        var stored = await S3Failures.Explained(account, location.Bucket, location.Key, "the upload cannot be confirmed",
            () => S3ObjectFacts.HeadAsync(s3, location, cancellationToken), cancellationToken);
        if (stored.Bytes != artifact.Bytes || !string.Equals(stored.Sha256, artifact.Sha256, StringComparison.OrdinalIgnoreCase))
            throw new StepFailedException($"{location.Url} is not the artifact {name}: S3 holds {stored.Bytes} bytes, sha256 {stored.Sha256 ?? "(none)"}; the artifact has {artifact.Bytes} bytes, sha256 {artifact.Sha256}.");
        context.Output.Line(OutputStream.Stdout, $"{location.Url}: {stored.Bytes} bytes, sha256 {stored.Sha256} (equal to the artifact)");
        context.SetOutput("url", location.Url);
        context.SetOutput("sha256", artifact.Sha256);
        context.SetOutput("bytes", artifact.Bytes);
    }
}
