using RecoveryConsole.Audit.Tests.TestSupport;
using RecoveryConsole.Orchestration.Audit;

namespace RecoveryConsole.Audit.Tests.AuditTrail;

public sealed class AuditLogTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset T0 = new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.FromHours(1)).AddTicks(99);
    private static readonly Guid RunA = Guid.NewGuid();
    private static readonly Guid RunB = Guid.NewGuid();

    private static async Task<List<AuditEvent>> AppendTen(IAuditLog log)
    {
        var appended = new List<AuditEvent>();
        for (var i = 0; i < 10; i++)
        {
            var e = new AuditEvent(T0.AddSeconds(i), i % 2 == 0 ? "alice" : "bob", i == 0 ? AuditKinds.RunCreated : AuditKinds.StepStatus,
                i == 9 ? null : i % 3 == 0 ? RunB : RunA, $"event {i}: détail \"quoted\"");
            await log.AppendAsync(e, None);
            appended.Add(e);
        }
        return appended;
    }

    [Fact]
    public async Task Appended_entries_form_an_intact_chain()
    {
        await using var store = await TestStore.CreateAsync();
        var appended = await AppendTen(store.AuditLog);

        Assert.Null(await store.AuditLog.FindFirstBrokenAsync(None));
        Assert.Equal(AuditChain.Genesis, appended[0].PreviousHash);
        for (var i = 1; i < appended.Count; i++)
        {
            Assert.True(appended[i].Id > appended[i - 1].Id);
            Assert.Equal(appended[i - 1].Hash, appended[i].PreviousHash);
        }

        var all = await store.AuditLog.ListAsync(null, None);
        Assert.Equal(appended.Select(e => e.Id), all.Select(e => e.Id));
        for (var i = 0; i < all.Count; i++) StateAssert.Equal(appended[i], all[i]);

        var ofRunB = await store.AuditLog.ListAsync(RunB, None);
        Assert.Equal(new long[] { appended[0].Id, appended[3].Id, appended[6].Id }, ofRunB.Select(e => e.Id));
    }

    [Fact]
    public async Task Events_appended_together_are_chained_in_their_order_and_verify_against_the_anchor()
    {
        await using var store = await TestStore.CreateAsync();
        await AppendTen(store.AuditLog);
        var together = Enumerable.Range(0, 3)
            .Select(i => new AuditEvent(T0.AddMinutes(1), "olivia", AuditKinds.CommandSent, RunA, $"master-{i}: etcd-snapshot-restore.sh")).ToList();

        await store.AuditLog.AppendAllAsync(together, None);

        var all = await store.AuditLog.ListAsync(null, None);
        Assert.Equal(["master-0: etcd-snapshot-restore.sh", "master-1: etcd-snapshot-restore.sh", "master-2: etcd-snapshot-restore.sh"],
            all.TakeLast(3).Select(e => e.Detail));
        Assert.Equal(all[^4].Hash, all[^3].PreviousHash);
        var verification = await store.AuditLog.VerifyAsync(None);
        Assert.True(verification.Intact, verification.Summary);
        Assert.Equal(all[^1].Id, verification.AnchoredHead!.Sequence);
    }

    [Fact]
    public async Task An_empty_log_is_intact()
    {
        await using var store = await TestStore.CreateAsync();
        Assert.Null(await store.AuditLog.FindFirstBrokenAsync(None));
    }

    [Fact]
    public async Task An_edited_entry_is_reported()
    {
        await using var store = await TestStore.CreateAsync();
        var appended = await AppendTen(store.AuditLog);
        var victim = appended[4].Id;

        Assert.Equal(1, await store.ExecuteAsync("UPDATE AuditEvents SET Detail = 'nothing happened' WHERE Id = $id", ("$id", victim)));

        Assert.Equal(victim, await store.AuditLog.FindFirstBrokenAsync(None));
    }

    [Fact]
    [Trait("Category", "Security")]
    public async Task An_entry_with_a_recomputed_plain_sha256_hash_is_caught_at_itself()
    {
        await using var store = await TestStore.CreateAsync();
        var appended = await AppendTen(store.AuditLog);
        // A forger without the key who edits an entry and recomputes its Hash with plain SHA-256 is caught at that entry.
        var forged = new AuditEvent(appended[4].Time, appended[4].Actor, appended[4].Kind, appended[4].RunId, "nothing happened");
        var forgedHash = AuditChain.HashOf(forged, appended[4].PreviousHash);
        await store.ExecuteAsync("UPDATE AuditEvents SET Detail = 'nothing happened', Hash = $h WHERE Id = $id",
            ("$h", forgedHash), ("$id", appended[4].Id));

        Assert.Equal(appended[4].Id, await store.AuditLog.FindFirstBrokenAsync(None));
    }

    [Fact]
    public async Task A_deleted_entry_is_reported_at_the_entry_after_it()
    {
        await using var store = await TestStore.CreateAsync();
        var appended = await AppendTen(store.AuditLog);

        Assert.Equal(1, await store.ExecuteAsync("DELETE FROM AuditEvents WHERE Id = $id", ("$id", appended[5].Id)));

        Assert.Equal(appended[6].Id, await store.AuditLog.FindFirstBrokenAsync(None));
    }

    [Fact]
    public async Task Concurrent_appends_keep_one_unbroken_chain()
    {
        await using var store = await TestStore.CreateAsync();
        var log = store.AuditLog;

        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() =>
            log.AppendAsync(new AuditEvent(T0.AddMilliseconds(i), $"user{i % 4}", AuditKinds.CommandSent, RunA, $"cmd {i}"), None))));

        Assert.Equal(40, (await log.ListAsync(RunA, None)).Count);
        Assert.Null(await log.FindFirstBrokenAsync(None));
    }

    [Fact]
    public async Task Appends_succeed_while_runs_and_transcripts_are_written_concurrently()
    {
        // An append reads the last hash, then inserts: its transaction takes the write lock at BEGIN, so a commit
        // by another writer in between cannot turn into SQLITE_BUSY (which busy_timeout does not retry).
        await using var store = await TestStore.CreateAsync();
        var log = store.AuditLog;
        var runs = Enumerable.Range(0, 4)
            .Select(_ => new RecoveryConsole.Orchestration.Runs.Run("p", "P", "h", "c", false, "{}", "alice", T0)).ToArray();
        foreach (var run in runs) await store.Runs.AddAsync(run, None);

        var audits = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 15; i++)
                await log.AppendAsync(new AuditEvent(T0.AddSeconds(i), $"writer{w}", AuditKinds.StepStatus, runs[w].Id, $"{w}/{i}"), None);
        }));
        var saves = runs.Select(run => Task.Run(async () =>
        {
            for (var i = 0; i < 15; i++)
            {
                run.StepOn($"s{i}", "", $"S{i}");
                await store.Runs.SaveAsync(run, None);
            }
        }));
        var lines = Task.Run(async () =>
        {
            for (var i = 0; i < 15; i++)
                await store.Transcripts.AppendAsync(Transcript.TranscriptStoreTests.Batch(runs[0].Id, i * 1000L + 1, 1000), None);
        });
        await Task.WhenAll([.. audits, .. saves, lines]);

        Assert.Equal(60, (await log.ListAsync(null, None)).Count(e => e.Kind != ChainedFactKinds.Fact)); // saves chain their rows too
        Assert.Null(await log.FindFirstBrokenAsync(None));
        Assert.Equal(15_000, await store.Transcripts.LastSequenceAsync(runs[0].Id, None));
    }

    [Fact]
    public async Task The_chain_continues_across_a_restart()
    {
        await using var store = await TestStore.CreateAsync();
        await AppendTen(store.AuditLog);

        // A second service provider on the same file stands for the console after a restart.
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection().AddAuditStore(store.Options.DatabasePath);
        await using (var restarted = Microsoft.Extensions.DependencyInjection.ServiceCollectionContainerBuilderExtensions.BuildServiceProvider(services))
        {
            var log = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<IAuditLog>(restarted);
            await log.AppendAsync(new AuditEvent(T0.AddHours(1), "system", AuditKinds.RunResumed, RunA, "after restart"), None);
        }

        Assert.Null(await store.AuditLog.FindFirstBrokenAsync(None));
        Assert.Equal(11, (await store.AuditLog.ListAsync(null, None)).Count);
    }
}
