using System.Text.Json.Nodes;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Actions.Pods;

/// <summary>
/// <c>oc cp POD:PATH</c> into the run's artifacts: the file arrives only when its SHA-256 here equals sha256sum's in the
/// pod, and the stored artifact must hash the same again. Arguments: the pod, <c>path</c> (absolute), <c>name</c> (the
/// artifact's name, default the file's), <c>kind</c> (its kind label, default pod-file).
/// </summary>
public sealed class PodCopyFromAction : IStepAction
{
    public string Name => "podCopyFrom";
    public IReadOnlyCollection<string> Arguments { get; } = [.. PodTarget.Arguments, "path", "name", "kind"];
    public IReadOnlyCollection<string> Outputs { get; } = ["artifact", "sha256", "bytes"];

    public async Task ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var store = context.Artifacts ?? throw new StepFailedException("The console has no artifact store configured.");
        var path = context.RequiredArgument("path");
        var name = context.Argument("name", path[(path.LastIndexOf('/') + 1)..]);
        var target = await PodTarget.ResolveAsync(context, cancellationToken);
        var source = target.File(path);
        var temp = Path.GetTempFileName();
        try
        {
            var copied = await context.Api.PodCopyFromAsync(source, temp, context.Output, cancellationToken);
            Artifacts.Artifact artifact;
            await using (var read = File.OpenRead(temp))
            {
                try
                {
                    artifact = await store.SaveAsync(context.RunId, name, read, source.ToString(), new Dictionary<string, string>
                    {
                        ["kind"] = context.Argument("kind", "pod-file"),
                        ["cluster"] = context.Cluster?.Name ?? "",
                        ["namespace"] = target.Namespace,
                        ["pod"] = target.Pod,
                    }, cancellationToken);
                }
                catch (Exception e) when (e is ArgumentException or IOException) { throw new StepFailedException($"{source} could not be stored: {e.Message}", inner: e); }
            }
            if (artifact.Sha256 != copied.Sha256)
                throw new StepFailedException($"{name}: the stored copy's SHA-256 {artifact.Sha256} differs from the pod's {copied.Sha256}.");
            context.Output.Line(OutputStream.Stdout, $"{source} -> console {name} ({artifact.Bytes} bytes, sha256 {artifact.Sha256})");
            context.SetOutput("artifact", JsonValue.Create(name));
            context.SetOutput("sha256", JsonValue.Create(artifact.Sha256));
            context.SetOutput("bytes", JsonValue.Create(artifact.Bytes));
        }
        finally { File.Delete(temp); }
    }
}
