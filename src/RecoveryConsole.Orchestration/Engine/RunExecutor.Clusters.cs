using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Procedures.Model;

namespace RecoveryConsole.Orchestration.Engine;

/// <summary>
/// Multi-cluster runs: each API request goes to its step's role's cluster and the transcript names that cluster; before
/// the first step every role's API must answer, and a role that requires external-dns must have it.
/// </summary>
internal sealed partial class RunExecutor
{
    private static readonly TimeSpan ClusterCheckTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The API of the step's role, logged; a multi-cluster run's lines name the cluster.</summary>
    private LoggedApi ApiFor(string? role, StepOutput output, ApiLogging logging)
    {
        var cluster = active.For(role);
        return new LoggedApi(cluster.Api, output, logging, active.Roles.Count > 0 ? cluster.Info.Name : null);
    }

    /// <summary>A resume's preflight (its records are under preflight-resume-N), not the first start's.</summary>
    private bool IsResume => preflightPrefix.StartsWith("preflight-resume", StringComparison.Ordinal);

    private async Task PreflightClustersAsync()
    {
        foreach (var role in active.Procedure.Clusters)
        {
            var cluster = active.For(role.Name);
            var instance = InstancePaths.Child(preflightPrefix, $"cluster-{role.Name}");
            var checks = role.Requires.Contains(ClusterRequirements.ExternalDns) ? " and runs HyperShift with external-dns" : "";
            var record = await MutateAsync(r => r.StepOn(instance, "", $"{role.Label} ({cluster.Info.Name}) answers{checks}"));
            if (record.Status.IsDone()) continue;
            var output = new StepOutput(env.Feed, Run.Id, instance, "");
            await MutateAsync(_ => record.Start(Now));
            output.System($"▶ Checking {role.Label}: {role.Name} = {cluster.Info.Name}");
            if (role.DownDuringRun && IsResume)
            {
                output.System($"Not checked on resume: the procedure expects {role.Label} to be down while it runs; the steps that use it wait for it or say it does not answer.");
                await MutateAsync(_ => record.Finish(StepStatus.Succeeded, Now));
                continue;
            }
            var problem = await ClusterProblemAsync(role, cluster.Info.Name, output);
            if (problem is null)
            {
                await MutateAsync(_ => record.Finish(StepStatus.Succeeded, Now));
                continue;
            }
            var message = $"Preflight: {role.Label} ({role.Name} = {cluster.Info.Name}) cannot be used: {problem}";
            output.System($"✗ {message}");
            await FailAsync(record, message);
            throw new StepFailedException(message);
        }
    }

    /// <summary>Null when the role's cluster is usable, else a sentence why.</summary>
    private async Task<string?> ClusterProblemAsync(ClusterRole role, string name, StepOutput output)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Stop);
        deadline.CancelAfter(ClusterCheckTimeout);
        var api = ApiFor(role.Name, output, ApiLogging.StatusOnly);
        try
        {
            var version = await api.SendAsync(new ApiRequest("GET", "/version"), deadline.Token);
            if (!version.IsSuccess) return $"its API answers /version with HTTP {version.Status}.";
            if (!role.Requires.Contains(ClusterRequirements.ExternalDns)) return null;
            var deployment = await api.SendAsync(new ApiRequest("GET", ExternalDnsCheck.OperatorPath), deadline.Token);
            return ExternalDnsCheck.Problem(name, deployment.Status, deployment.Body);
        }
        catch (ApiUnreachableException e) { return e.Message + "."; }
        catch (OperationCanceledException) when (!Stop.IsCancellationRequested) { return $"its API gave no answer within {Durations.Format(ClusterCheckTimeout)}."; }
    }
}
