using System.Text.Json.Nodes;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Actions.Pods;

/// <summary>
/// <c>oc cp FILE POD:PATH</c> from the run's artifacts (or another run's, <c>fromRun</c>): the artifact is verified as it
/// is read, then sha256sum in the pod must equal the artifact's recorded SHA-256. Arguments: the pod, <c>artifact</c>,
/// <c>path</c> (absolute, in an existing directory), <c>fromRun</c>.
/// </summary>
public sealed class PodCopyToAction : IStepAction
{
    public string Name => "podCopyTo";
    public IReadOnlyCollection<string> Arguments { get; } = [.. PodTarget.Arguments, "artifact", "path", "fromRun"];
    public IReadOnlyCollection<string> Outputs { get; } = ["sha256", "bytes"];

    public async Task ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var store = context.Artifacts ?? throw new StepFailedException("The console has no artifact store configured.");
        var name = context.RequiredArgument("artifact");
        var path = context.RequiredArgument("path");
        var fromRun = context.Argument("fromRun", "") is { Length: > 0 } run
            ? Guid.TryParse(run, out var id) ? id : throw new StepFailedException($"fromRun '{run}' is not a run id.")
            : context.RunId;
        var artifact = (await store.ListAsync(fromRun, cancellationToken)).FirstOrDefault(a => a.Name == name)
            ?? throw new StepFailedException($"Run {fromRun} has no artifact named '{name}'.");
        var target = await PodTarget.ResolveAsync(context, cancellationToken);
        var destination = target.File(path);
        var temp = Path.GetTempFileName();
        try
        {
            try
            {
                await using var read = await store.OpenAsync(fromRun, name, cancellationToken);
                await using var local = File.Create(temp);
                await read.CopyToAsync(local, cancellationToken);
            }
            catch (Exception e) when (e is InvalidDataException or IOException)
            {
                throw new StepFailedException($"The artifact {name} of run {fromRun} failed its check and was not copied: {e.Message}", inner: e);
            }
            var copied = await context.Api.PodCopyToAsync(temp, destination, context.Output, cancellationToken);
            if (copied.Sha256 != artifact.Sha256)
                throw new StepFailedException($"{destination} has SHA-256 {copied.Sha256}, the artifact {name} {artifact.Sha256}: do not use it.");
            context.Output.Line(OutputStream.Stdout, $"console {name} -> {destination} ({copied.Bytes} bytes, sha256 {copied.Sha256})");
            context.SetOutput("sha256", JsonValue.Create(copied.Sha256));
            context.SetOutput("bytes", JsonValue.Create(copied.Bytes));
        }
        finally { File.Delete(temp); }
    }
}
