using Microsoft.Extensions.DependencyInjection;
using RecoveryConsole.Audit.Runs;
using RecoveryConsole.Orchestration.Audit;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Tests.Support;

namespace RecoveryConsole.Orchestration.Tests.Engine;

/// <summary>
/// mode: together prepares every host at once: between the last host's check and the first command, one save of the run
/// (every host's record started with its command) and one audit transaction (every host's command.sent). Host by host,
/// 200 lab hosts spent 12.5 s there before the barrier released them.
/// </summary>
[Trait("Category", "Security")]
public sealed class TogetherBookkeepingTests
{
    private const string Procedure = """
        id: test
        title: Together
        source: { document: 003_28eb1c421f859d40.txt, section: "3.3.1" }
        applies: { product: openshift, versions: "4.*" }
        steps:
          - { id: restore, title: Restore, section: "3.3.1", forEach: { hosts: controlPlaneHosts, mode: together }, run: "etcd-snapshot-restore.sh" }
        """;

    [Fact]
    public async Task Every_host_is_recorded_in_one_save_and_audited_in_one_append_before_any_command_goes_out()
    {
        var saves = new CountedSaves();
        var audit = new CountedAudit();
        (int Saves, int Appends)? afterChecks = null, atFirstCommand = null;
        var checks = 0;
        var hosts = new ScriptedHosts()
            .When("true", (_, c, _, _) =>
            {
                if (c == "true" && Interlocked.Increment(ref checks) == 3) afterChecks = (saves.Count, audit.Count);
                return Task.FromResult(0);
            })
            .When("etcd-snapshot-restore.sh", (_, _, _, _) =>
            {
                lock (saves) atFirstCommand ??= (saves.Count, audit.Count);
                return Task.FromResult(0);
            });
        var folder = Support.Engine.NewFolder();
        await File.WriteAllTextAsync(Path.Combine(folder, "procedures", "test.yaml"), Procedure);
        await using var engine = await Support.Engine.StartInAsync(folder, new TestCluster(hosts, new NoApi()), services: s =>
        {
            s.AddSingleton<IRunRepository>(sp => saves.Around(ActivatorUtilities.CreateInstance<RunRepository>(sp)));
            s.AddSingleton<IAuditLog>(sp => audit.Around(sp.GetRequiredService<RecoveryConsole.Audit.AuditTrail.AuditLog>()));
        });

        var run = await engine.WaitForStatusAsync(await engine.StartRunAsync(), RunStatus.Succeeded);

        Assert.Equal(3, hosts.Count("etcd-snapshot-restore.sh"));
        Assert.NotNull(afterChecks);
        Assert.NotNull(atFirstCommand);
        Assert.Equal(1, atFirstCommand.Value.Saves - afterChecks.Value.Saves);
        Assert.Equal(1, atFirstCommand.Value.Appends - afterChecks.Value.Appends);
        var batch = Assert.Single(audit.Batches, b => b.Any(e => e.Kind == AuditKinds.CommandSent));
        Assert.Equal(["m0: etcd-snapshot-restore.sh", "m1: etcd-snapshot-restore.sh", "m2: etcd-snapshot-restore.sh"],
            batch.Select(e => e.Detail).Order());
        // The one save recorded each host started with its command; each then finished on its own.
        foreach (var host in new[] { "m0", "m1", "m2" })
        {
            var record = run.FindStep("restore", host)!;
            Assert.Equal(StepStatus.Succeeded, record.Status);
            Assert.Equal("etcd-snapshot-restore.sh", record.Command);
            Assert.Equal(1, record.Attempts);
        }
    }

    /// <summary>Counts the run's saves.</summary>
    private sealed class CountedSaves
    {
        private int _count;
        public int Count => Volatile.Read(ref _count);

        public IRunRepository Around(IRunRepository inner) => new Counting(inner, this);

        private sealed class Counting(IRunRepository inner, CountedSaves counter) : IRunRepository
        {
            public Task AddAsync(Run run, CancellationToken cancellationToken) => inner.AddAsync(run, cancellationToken);
            public async Task SaveAsync(Run run, CancellationToken cancellationToken)
            {
                Interlocked.Increment(ref counter._count);
                await inner.SaveAsync(run, cancellationToken);
            }
            public Task<Run?> GetAsync(Guid id, CancellationToken cancellationToken) => inner.GetAsync(id, cancellationToken);
            public Task<IReadOnlyList<Run>> ListAsync(RunQuery query, CancellationToken cancellationToken) => inner.ListAsync(query, cancellationToken);
            public Task<IReadOnlyList<Run>> ListActiveAsync(CancellationToken cancellationToken) => inner.ListActiveAsync(cancellationToken);
        }
    }

    /// <summary>Counts audit transactions and keeps what each one carried.</summary>
    private sealed class CountedAudit
    {
        private int _count;
        public int Count => Volatile.Read(ref _count);
        public System.Collections.Concurrent.ConcurrentQueue<IReadOnlyList<AuditEvent>> Batches { get; } = new();

        public IAuditLog Around(IAuditLog inner) => new Counting(inner, this);

        private void Add(IReadOnlyList<AuditEvent> events)
        {
            Interlocked.Increment(ref _count);
            Batches.Enqueue(events);
        }

        private sealed class Counting(IAuditLog inner, CountedAudit counter) : IAuditLog
        {
            public Task AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken)
            {
                counter.Add([auditEvent]);
                return inner.AppendAsync(auditEvent, cancellationToken);
            }
            public Task AppendAllAsync(IReadOnlyList<AuditEvent> auditEvents, CancellationToken cancellationToken)
            {
                counter.Add(auditEvents);
                return inner.AppendAllAsync(auditEvents, cancellationToken);
            }
            public Task<IReadOnlyList<AuditEvent>> ListAsync(Guid? runId, CancellationToken cancellationToken) => inner.ListAsync(runId, cancellationToken);
            public Task<long?> FindFirstBrokenAsync(CancellationToken cancellationToken) => inner.FindFirstBrokenAsync(cancellationToken);
            public Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken) => inner.VerifyAsync(cancellationToken);
            public Task<AuditHead?> HeadAsync(CancellationToken cancellationToken) => inner.HeadAsync(cancellationToken);
        }
    }
}
