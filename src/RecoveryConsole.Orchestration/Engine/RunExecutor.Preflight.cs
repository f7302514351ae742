using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Procedures.Model;
using RecoveryConsole.Procedures.Rendering;

namespace RecoveryConsole.Orchestration.Engine;

/// <summary>
/// Before the first step: every host the plan will send a command to answers over the transport (host key trusted,
/// login accepted) and runs sudo without a password. A dead host or a changed key is found now, not after a backup.
/// Hosts the operator declared lost (host parameters with <c>preflight: false</c>) are not tried.
/// </summary>
internal sealed partial class RunExecutor
{
    private static readonly TimeSpan HostCheckTimeout = TimeSpan.FromSeconds(30);
    private const string HostCheckCommand = "sudo -n true";

    private async Task PreflightHostsAsync(StepScope scope)
    {
        var hosts = PlannedHosts();
        if (hosts.Count == 0) return;
        var instance = InstancePaths.Child(preflightPrefix, "hosts");
        var summary = await MutateAsync(r => r.StepOn(instance, "", "Every target host answers and runs sudo"));
        if (summary.Status.IsDone()) return;
        var output = new StepOutput(env.Feed, Run.Id, instance, "");
        await MutateAsync(_ => summary.Start(Now));
        output.System($"▶ Checking the hosts this run will use: {string.Join(", ", hosts.Select(h => h.Name))}");
        var results = await Task.WhenAll(hosts.Select(h => CheckHostAsync(instance, h)));
        var failed = results.Where(r => r is not null).ToList();
        if (failed.Count > 0)
        {
            var message = $"Preflight: {failed.Count} of {hosts.Count} target host(s) cannot be used: {string.Join(" ", failed)}";
            output.System($"✗ {message}");
            await FailAsync(summary, message);
            throw new StepFailedException(message);
        }
        await MutateAsync(_ => summary.Finish(StepStatus.Succeeded, Now));
    }

    /// <summary>Null when the host is usable, else a sentence naming the host and why.</summary>
    private async Task<string?> CheckHostAsync(string instance, HostInfo host)
    {
        var record = await MutateAsync(r => r.StepOn(instance, host.Name, $"{host.Name} answers and runs sudo"));
        var output = new StepOutput(env.Feed, Run.Id, instance, host.Name);
        await MutateAsync(_ => record.Start(Now));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Stop);
        deadline.CancelAfter(HostCheckTimeout);
        string? problem;
        try
        {
            output.System($"$ {HostCheckCommand}");
            var exit = await active.Cluster.Hosts.RunAsync(host, HostCheckCommand, output, deadline.Token);
            problem = exit == 0 ? null : $"{host.Name}: sudo needs a password or is refused (exit {exit}); the console needs passwordless sudo.";
        }
        catch (HostUnreachableException e) { problem = $"{host.Name}: {e.Reason}."; }
        catch (OperationCanceledException) when (!Stop.IsCancellationRequested) { problem = $"{host.Name}: no answer within {Durations.Format(HostCheckTimeout)}."; }
        catch (Exception e) when (e is not OperationCanceledException) { problem = $"{host.Name}: {e.Message}"; }
        await MutateAsync(_ => record.Finish(problem is null ? StepStatus.Succeeded : StepStatus.Failed, Now, problem));
        return problem;
    }

    /// <summary>
    /// The hosts the plan sends commands to or acts on (file copies, edits, backups: steps whose condition is not known
    /// to be false), minus hosts declared lost.
    /// </summary>
    private List<HostInfo> PlannedHosts()
    {
        var plan = RunPlanner.Plan(active.Procedure, active.Cluster.Info, active.Parameters);
        var names = new List<string>();
        void Walk(PlannedStep step)
        {
            if (step.WillRun == false) return;
            if (step.Kind is StepKind.Run or StepKind.Wait) names.AddRange(step.Commands.Select(c => c.Host).Where(h => h.Length > 0));
            names.AddRange(step.ActionHosts);
            foreach (var child in step.Children) Walk(child);
        }
        foreach (var step in plan.Steps) Walk(step);
        var lost = active.Procedure.Parameters.Where(p => p.SkipPreflight && active.Parameters.ContainsKey(p.Name))
            .SelectMany(p => TemplateValues.Items(active.Parameters[p.Name])).ToHashSet(StringComparer.Ordinal);
        return names.Distinct().Where(n => !lost.Contains(n)).Select(n => active.Cluster.Info.FindHost(n)).OfType<HostInfo>().ToList();
    }
}
