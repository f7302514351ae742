using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using RecoveryConsole.Orchestration.Audit;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Procedures.Model;

namespace RecoveryConsole.Orchestration.Engine;

/// <summary>
/// <c>mode: together</c>: "start the restore on all masters within a short period" is the console's job. Every host is
/// checked first (a trivial command through its transport); if any does not answer, none starts. Then the bookkeeping of
/// all hosts is done at once, each host's command is armed (<see cref="IArmedCommand"/>: over SSH, logged in and the
/// remote shell waiting) and waits at a <see cref="StartBarrier"/>, one signal fires all, and the start skew is written down.
/// </summary>
internal sealed partial class RunExecutor
{
    /// <summary>The output value a together step keeps: how far apart (wall clock, ms) its hosts started.</summary>
    public const string StartSkewOutput = "startSkewMs";

    private async Task TogetherAsync(StepDefinition step, string instance, StepScope scope, IReadOnlyList<HostInfo> hosts, StepOutput output)
    {
        if (hosts.Count == 0) throw new StepFailedException($"'{step.Title}' has no host to run on.");
        // Hosts a resumed run finished have started already; the others start together.
        var pending = hosts.Where(h => Run.FindStep(instance, h.Name) is not { } done || !done.Status.IsDone()).ToList();
        if (pending.Count == 0) return;
        var names = pending.Select(h => h.Name).ToList();
        output.System($"Starting together on {Hosts(names)}: checking first that every host answers.");
        var unready = await UnreadyHostsAsync(pending, instance, output);
        if (unready.Count > 0)
            throw new StepFailedException($"None started: {string.Join("; ", unready)}. The hosts start together or not at all, so nothing was run on {Hosts(names)}.");
        // A command that does not render on one host must not be found out after the others started.
        var commands = pending.Select(host => new TogetherCommand(host, Render(step.Run!, scope, host))).ToList();
        var ready = await PrepareAllAsync(step, instance, commands);

        var barrier = new StartBarrier(ready.Count);
        var tasks = ready.Select(host => BehindBarrierAsync(step, scope, host, barrier)).ToList();
        var all = AllAsync(tasks, names);
        // Written as soon as all have started (a restore may run long); fast commands may have finished by then too.
        await Task.WhenAny(barrier.AllStarted, all);
        if (barrier.AllStarted.IsCompletedSuccessfully && barrier.Starts.Count > 0)
            await ReportSkewAsync(step, instance, scope, barrier, output);
        await all;
    }

    private sealed record TogetherCommand(HostInfo Host, string Command);

    private sealed record TogetherHost(HostInfo Host, string Command, StepExecution Record, StepOutput Output);

    /// <summary>
    /// Every host's bookkeeping at once, before any command goes out: all records started with their command in one save,
    /// every <c>command.sent</c> in one audit transaction. Host by host (a save and an audit append each, in turn) this
    /// took 12.5 s for 200 lab hosts. A crash before the release leaves what it left before: every host's record started
    /// with its command and audited, nothing sent; hosts whose record is done are not among them, so none runs twice.
    /// </summary>
    private async Task<IReadOnlyList<TogetherHost>> PrepareAllAsync(StepDefinition step, string instance, IReadOnlyList<TogetherCommand> commands)
    {
        var now = Now;
        var sent = commands.Select(c => env.Redactor.Redact(c.Command)).ToList();
        var records = await MutateAsync(r => commands.Select((c, i) =>
        {
            var record = r.StepOn(instance, c.Host.Name, step.Title);
            record.Start(now);
            record.Sent(sent[i]);
            return record;
        }).ToList());
        await env.Audit.AppendAllAsync(
            commands.Select((c, i) => new AuditEvent(now, Run.StartedBy, AuditKinds.CommandSent, Run.Id, $"{c.Host.Name}: {sent[i]}")).ToList(),
            CancellationToken.None);
        return commands.Select((c, i) =>
        {
            var output = new StepOutput(env.Feed, Run.Id, instance, c.Host.Name);
            Announce(output, c.Command);
            return new TogetherHost(c.Host, c.Command, records[i], output);
        }).ToList();
    }

    /// <summary>
    /// One host, its bookkeeping done: arms the command on the host (connected, the remote shell waiting), waits for the
    /// one signal, then fires it; judged like any run step. A host that cannot be armed breaks the barrier: every armed
    /// host is disarmed and nothing runs anywhere.
    /// </summary>
    private async Task BehindBarrierAsync(StepDefinition step, StepScope scope, TogetherHost ready, StartBarrier barrier)
    {
        var (host, command, record, output) = ready;
        var timeout = StepTimeout(step);
        await FinishOnHostAsync(step, scope, record, output, async () =>
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Stop); // the timeout counts from the release
            await using var armed = await ArmAsync(host, command, output, barrier, deadline.Token);
            try
            {
                await barrier.ArriveAsync(Stop);
            }
            catch (Exception e) when (e is not StepFailedException)
            {
                barrier.Break(host.Name, e.Message);
                throw;
            }
            barrier.Started(host.Name, WaitClock);
            deadline.CancelAfter(timeout);
            var (exit, stdout, stderr) = await ObserveAsync(host, output, timeout, armed.Fire);
            return Judged(step, host, exit, stdout, stderr);
        });
    }

    /// <summary>The host's command made ready through its transport; a failure breaks the barrier and says nothing ran.</summary>
    private async Task<IArmedCommand> ArmAsync(HostInfo host, string command, StepOutput output, StartBarrier barrier, CancellationToken cancellationToken)
    {
        try
        {
            return await active.Cluster.Hosts.ArmAsync(host, command, output, cancellationToken);
        }
        catch (Exception e)
        {
            var why = e is HostUnreachableException unreachable ? unreachable.Reason : e.Message;
            barrier.Break(host.Name, why);
            if (e is OperationCanceledException) throw;
            throw new StepFailedException($"{host.Name}: {why}. Nothing was run there.", inner: e);
        }
    }

    /// <summary>Each host runs <c>true</c> with a short timeout; what did not answer, in words, host by host.</summary>
    private async Task<List<string>> UnreadyHostsAsync(IReadOnlyList<HostInfo> hosts, string instance, StepOutput output)
    {
        var timeout = env.Options.TogetherCheckTimeout;
        var checks = hosts.Select(async host =>
        {
            var probe = new StepOutput(env.Feed, Run.Id, instance, host.Name);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Stop);
            deadline.CancelAfter(timeout);
            var watch = Stopwatch.StartNew();
            try
            {
                var exit = await active.Cluster.Hosts.RunAsync(host, "true", probe, deadline.Token);
                if (exit != 0) return $"{host.Name} answered 'true' with exit code {exit}";
                probe.System($"{host.Name} answers ({watch.ElapsedMilliseconds} ms).");
                return null;
            }
            catch (HostUnreachableException e) { return $"{host.Name} is unreachable ({e.Reason})"; }
            catch (OperationCanceledException) when (!Stop.IsCancellationRequested) { return $"{host.Name} did not answer within {Durations.Format(timeout)}"; }
            catch (Exception e) when (e is not OperationCanceledException) { return $"{host.Name} could not be checked ({e.Message})"; }
        }).ToList();
        var results = await Task.WhenAll(checks);
        foreach (var problem in results.OfType<string>()) output.System($"✗ {problem}.");
        return results.OfType<string>().ToList();
    }

    /// <summary>"Started on 3 hosts within 12 ms", each host's offset, a warning over the limit, and startSkewMs with the step's record.</summary>
    private async Task ReportSkewAsync(StepDefinition step, string instance, StepScope scope, StartBarrier barrier, StepOutput output)
    {
        var starts = barrier.Starts.OrderBy(s => s.Value.Timestamp).ToList();
        var first = starts[0].Value;
        var wall = Stopwatch.GetElapsedTime(first.Timestamp, starts[^1].Value.Timestamp);
        var runClock = starts.Max(s => s.Value.RunClock) - starts.Min(s => s.Value.RunClock);
        var limit = step.Target.MaxSkew ?? env.Options.MaxStartSkew;
        var offsets = string.Join(", ", starts.Select(s => $"{s.Key} +{Ms(Stopwatch.GetElapsedTime(first.Timestamp, s.Value.Timestamp))} ms"));
        output.System($"Started on {starts.Count} host(s) within {Ms(wall)} ms (run clock: {Ms(runClock)} ms; limit {Durations.Format(limit)}): {offsets}.");
        var skew = wall > runClock ? wall : runClock;
        if (skew > limit)
            output.System($"Warning: the hosts started {Ms(skew)} ms apart, more than the limit of {Durations.Format(limit)}. " +
                          "The commands already started cannot be un-started: they keep running; judge from their output whether the start was close enough.");
        var value = JsonValue.Create(Math.Round(wall.TotalMilliseconds, 3));
        Variables.Set(scope.Layer, StartSkewOutput, value);
        var summary = Run.FindStep(instance);
        if (summary is not null)
            await MutateAsync(_ => summary.RecordOutputs(RunVariables.Record(scope.Layer, new Dictionary<string, JsonNode?> { [StartSkewOutput] = value })));
    }

    private static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString(t.TotalMilliseconds < 10 ? "0.##" : "0", CultureInfo.InvariantCulture);

    private static string Hosts(IReadOnlyList<string> names) => $"{names.Count} host(s) ({string.Join(", ", names)})";
}
