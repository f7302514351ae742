using Microsoft.Extensions.DependencyInjection;
using RecoveryConsole.Lab;
using RecoveryConsole.Lab.Clusters;
using RecoveryConsole.Lab.Health;
using RecoveryConsole.Lab.Scenarios;
using RecoveryConsole.Orchestration.Approvals;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Transcript;

namespace RecoveryConsole.Orchestration.Tests.Procedures;

/// <summary>
/// A shipped procedure file run through RunService against a lab cluster with a staged scenario, as a drill would run
/// it: lab and engine share one virtual clock (the document's ten-minute waits cost no real time), olivia operates,
/// arjun approves, and the test answers the operator's questions and manual steps. The lab's own health is the judge.
/// </summary>
internal sealed class ProcedureDrill : IAsyncDisposable
{
    public static readonly Actor Operator = Support.Engine.Olivia;
    public static readonly Actor Approver = Support.Engine.Arjun;

    private IAsyncDisposable? _endpoint;

    private ProcedureDrill(LabClusterRegistry lab, LabScenarios scenarios, Support.Engine engine, string cluster)
    {
        Lab = lab;
        Scenarios = scenarios;
        Engine = engine;
        ClusterName = cluster;
    }

    public LabClusterRegistry Lab { get; }
    public LabScenarios Scenarios { get; }
    public Support.Engine Engine { get; }
    public string ClusterName { get; }
    public LabCluster Cluster => Lab.FindLab(ClusterName)!;
    /// <summary>The console's view of the hosted estate (<see cref="StartHostedEstateAsync"/> only).</summary>
    public Support.HostedEstateRegistry? Estate => _endpoint as Support.HostedEstateRegistry;
    public List<string> Approved { get; } = [];

    /// <summary>Answers an input step (by its path) from what it asks; null leaves the default selection.</summary>
    public Func<string, InputRequest, IReadOnlyList<string>?> Answer { get; set; } = (_, request) => null;
    /// <summary>The note for a manual step; throwing stops the drill (a manual step the test did not expect).</summary>
    public Func<string, string> Confirm { get; set; } = path => "done as instructed";
    /// <summary>Whether the approver approves (true) or rejects a destructive step.</summary>
    public Func<Approval, bool> Approve { get; set; } = _ => true;

    public static Task<ProcedureDrill> StartAsync(string? scenario, params string[] procedures) => StartAsync(scenario, procedures, []);

    /// <summary>Also loads <paramref name="testProcedures"/>: procedure files (YAML text) written by the test.</summary>
    /// <param name="clusters">The lab clusters (default: the demo OpenShift cluster only; <see cref="LabClusterCatalog.Estate"/> for all).</param>
    public static Task<ProcedureDrill> StartAsync(string? scenario, string[] procedures, IReadOnlyList<string> testProcedures,
        IReadOnlyList<Orchestration.Clusters.ClusterInfo>? clusters = null) =>
        StartCoreAsync(LabClusterCatalog.DemoClusterName, scenario, procedures, testProcedures, clusters);

    /// <summary>
    /// A drill on one cluster of the whole lab estate (<see cref="LabClusterCatalog.Estate"/>: lab-ocp42, lab-ocp311, ...),
    /// <paramref name="scenario"/> staged on it; runs start on it unless told otherwise.
    /// </summary>
    public static Task<ProcedureDrill> StartOnAsync(string cluster, string? scenario, string[] procedures, IReadOnlyList<string>? testProcedures = null) =>
        StartCoreAsync(cluster, scenario, procedures, testProcedures ?? [], LabClusterCatalog.Estate());

    private static async Task<ProcedureDrill> StartCoreAsync(string cluster, string? scenario, string[] procedures, IReadOnlyList<string> testProcedures,
        IReadOnlyList<Orchestration.Clusters.ClusterInfo>? clusters)
    {
        var time = new VirtualTimeProvider();
        var options = new LabOptions { TimeScale = 1.0, RolloutStepDelay = TimeSpan.FromSeconds(20) };
        var lab = clusters is null ? new LabClusterRegistry(options, time) : new LabClusterRegistry(options, time, clusters);
        var scenarios = new LabScenarios(lab);
        if (scenario is not null) scenarios.Apply(cluster, scenario);
        var folder = Support.Engine.NewFolder();
        foreach (var id in procedures)
            File.Copy(Path.Combine(AppContext.BaseDirectory, "procedures", id + ".yaml"), Path.Combine(folder, "procedures", id + ".yaml"));
        for (var i = 0; i < testProcedures.Count; i++)
            File.WriteAllText(Path.Combine(folder, "procedures", $"test-{i}.yaml"), testProcedures[i]);
        var engine = await Support.Engine.StartInAsync(folder, lab, time);
        return new ProcedureDrill(lab, scenarios, engine, cluster);
    }

    /// <summary>
    /// Stages a scenario now, e.g. after a backup run: the cluster is reset to its seed (hosts' files included) and the
    /// faults applied. What the console stored (artifacts, runs) is not part of the cluster and stays.
    /// </summary>
    /// <summary>
    /// A drill whose cluster <paramref name="cluster"/> is reached over HTTPS with the real Kubernetes client (as the
    /// console reaches lab clusters), e.g. a hosted management cluster for exec and copy.
    /// </summary>
    public static async Task<ProcedureDrill> StartOverHttpsAsync(string cluster, IReadOnlyList<string> testProcedures)
    {
        var time = new VirtualTimeProvider();
        var lab = new LabClusterRegistry(new LabOptions { TimeScale = 1.0, RolloutStepDelay = TimeSpan.FromSeconds(20) }, time, LabClusterCatalog.HostedControlPlanes());
        var registry = await Support.HttpsLabRegistry.StartAsync(lab, cluster);
        var folder = Support.Engine.NewFolder();
        for (var i = 0; i < testProcedures.Count; i++)
            File.WriteAllText(Path.Combine(folder, "procedures", $"test-{i}.yaml"), testProcedures[i]);
        var engine = await Support.Engine.StartInAsync(folder, registry, time);
        return new ProcedureDrill(lab, new LabScenarios(lab), engine, cluster) { _endpoint = registry };
    }

    /// <summary>
    /// A drill on the whole hosted estate (lab-mgmt-a, lab-mgmt-b, lab-hosted-1) served as the console serves it: each API
    /// over HTTPS with the real client, the estate's S3 and Route53 over HTTP with SigV4. <paramref name="scenario"/> is
    /// staged on lab-mgmt-a (it resets the whole estate). The run's main cluster is lab-mgmt-a.
    /// </summary>
    public static async Task<ProcedureDrill> StartHostedEstateAsync(string? scenario, string[] procedures, IReadOnlyList<string>? testProcedures = null)
    {
        // Virtual, but starting now: the AWS SDK signs with the machine's clock (S3 refuses a request more than 15 minutes
        // off its own time, as the lab's endpoint does on the estate's clock), and a drill moves it on by minutes only.
        var time = new VirtualTimeProvider(DateTimeOffset.UtcNow);
        var lab = new LabClusterRegistry(new LabOptions { TimeScale = 1.0, RolloutStepDelay = TimeSpan.FromSeconds(20) }, time, LabClusterCatalog.HostedControlPlanes());
        var scenarios = new LabScenarios(lab);
        if (scenario is not null) scenarios.Apply(RecoveryConsole.Lab.Hosted.HostedEstate.SourceName, scenario);
        var folder = Support.Engine.NewFolder();
        foreach (var id in procedures)
            File.Copy(Path.Combine(AppContext.BaseDirectory, "procedures", id + ".yaml"), Path.Combine(folder, "procedures", id + ".yaml"));
        foreach (var (text, i) in (testProcedures ?? []).Select((t, i) => (t, i)))
            File.WriteAllText(Path.Combine(folder, "procedures", $"test-{i}.yaml"), text);
        var registry = new Support.HostedEstateRegistry(lab);
        var engine = await Support.Engine.StartInAsync(folder, registry, time);
        await registry.ServeAsync(engine.Services.GetRequiredService<Redactor>());
        return new ProcedureDrill(lab, scenarios, engine, RecoveryConsole.Lab.Hosted.HostedEstate.SourceName) { _endpoint = registry };
    }

    public LabHealthReport Stage(string scenario) => Scenarios.Apply(ClusterName, scenario).Health;

    public LabHealthReport Health() => LabHealth.Evaluate(Cluster);

    public Task<Guid> StartRunAsync(string procedure, Dictionary<string, string?> parameters, string? cluster = null) =>
        Engine.Runs.StartAsync(new StartRunRequest(procedure, cluster ?? ClusterName, parameters), Operator, CancellationToken.None);

    /// <summary>Drives the run to its end, answering every gate; returns the final run.</summary>
    public async Task<Run> DriveAsync(Guid id, int seconds = 300)
    {
        var handled = new HashSet<string>();
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var left = (int)Math.Max(1, (deadline - DateTime.UtcNow).TotalSeconds);
            var run = await Engine.WaitForAsync(id, r => r.Status.IsFinal() || r.Status == RunStatus.Interrupted || Gates(r).Any(g => !handled.Contains(g.Key)),
                "a new gate or the end", left);
            if (run.Status.IsFinal() || run.Status == RunStatus.Interrupted) return run;
            var (key, gate) = Gates(run).First(g => !handled.Contains(g.Key));
            handled.Add(key);
            switch (gate)
            {
                case Approval approval when Approve(approval):
                    Approved.Add(approval.StepTitle);
                    await Engine.Runs.ApproveAsync(id, approval.StepPath, Approver, "drill: checked", CancellationToken.None);
                    break;
                case Approval approval:
                    await Engine.Runs.RejectAsync(id, approval.StepPath, Approver, "drill: refused", CancellationToken.None);
                    break;
                case StepExecution { InputRequestJson: not null } input:
                    var request = InputRequest.Parse(input.InputRequestJson)!;
                    var answer = Answer(input.StepPath, request) ?? request.Options.Where(o => o.Selected).Select(o => o.Value).ToList();
                    await Engine.Runs.ProvideInputAsync(id, input.StepPath, Operator, answer, CancellationToken.None);
                    break;
                case StepExecution manual:
                    await Engine.Runs.ConfirmAsync(id, manual.StepPath, Operator, Confirm(manual.StepPath), CancellationToken.None);
                    break;
            }
        }
    }

    private static IEnumerable<(string Key, object Gate)> Gates(Run run) =>
        run.Approvals.Where(a => a.Decision == ApprovalDecision.Pending).Select(a => ($"approval:{a.Id}", (object)a))
            .Concat(run.Steps.Where(s => s.Status == StepStatus.WaitingForOperator).Select(s => ($"operator:{s.StepPath}:{s.Attempts}", (object)s)));

    public async Task<IReadOnlyList<TranscriptLine>> TranscriptAsync(Guid id) => await Engine.TranscriptAsync(id);

    /// <summary>The failure with the transcript's last lines and the lab's health, for an assertion message.</summary>
    public async Task<string> ExplainAsync(Run run)
    {
        var lines = await TranscriptAsync(run.Id);
        return $"{run.Status}: {run.StatusReason}\n--- last lines ---\n{string.Join('\n', lines.TakeLast(40).Select(l => $"[{l.StepPath}@{l.Host}] {l.Text}"))}\n--- lab ---\n{Health()}";
    }

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync();
        if (_endpoint is not null) await _endpoint.DisposeAsync();
    }
}
