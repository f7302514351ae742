using RecoveryConsole.Audit.Tests.TestSupport;
using RecoveryConsole.Orchestration.Approvals;
using RecoveryConsole.Orchestration.Runs;

namespace RecoveryConsole.Audit.Tests.Runs;

public sealed class RunRepositoryTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    // An offset other than UTC and sub-millisecond ticks: both must survive the round trip as the same instant.
    private static readonly DateTimeOffset T0 = new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.FromHours(2)).AddTicks(4321);
    private static readonly Actor Bob = new("bob", [Roles.Approver]);

    private static Run NewRun() =>
        new("ocp4-restore-previous-state", "Restore the cluster to a previous state", "sha256:abc", "lab-1", isDrill: true,
            """{"recoveryHost":"master-0","backupDir":"/home/core/assets/backup"}""", "alice", T0);

    /// <summary>A run in the middle of its life: finished, waiting and untouched steps, and a decided approval.</summary>
    private static Run BusyRun()
    {
        var run = NewRun();
        run.MoveTo(RunStatus.Running, T0.AddSeconds(1));

        var stop = run.StepOn("stop-etcd-elsewhere/0", "master-1", "Stop etcd on every other control-plane host");
        stop.Start(T0.AddSeconds(2));
        stop.Sent("sudo mv -v /etc/kubernetes/manifests/etcd-pod.yaml /tmp");
        stop.Finish(StepStatus.Succeeded, T0.AddSeconds(3), "moved", exitCode: 0);

        var failed = run.StepOn("stop-etcd-elsewhere/0", "master-2", "Stop etcd on every other control-plane host");
        failed.Start(T0.AddSeconds(4));
        failed.Finish(StepStatus.Failed, T0.AddSeconds(5), "ssh: connection refused", exitCode: 255);

        var confirm = run.StepOn("check-backup", "", "Check the backup is there");
        confirm.Start(T0.AddSeconds(6));
        confirm.Wait(StepStatus.WaitingForOperator, "Confirm the backup files exist");
        confirm.Confirm("alice", "both files present");

        var restore = run.StepOn("restore", "master-0", "Restore");
        restore.Wait(StepStatus.WaitingForApproval, "needs a second person");
        run.MoveTo(RunStatus.WaitingForApproval, T0.AddSeconds(7), "restore needs approval");
        var approval = run.RequestApproval("restore", "Restore", T0.AddSeconds(7));
        ApprovalPolicy.Decide(run, approval, Bob, ApprovalDecision.Approved, "backup checked", T0.AddSeconds(8));
        run.RequestApproval("restart-kubelet", "Restart kubelet", T0.AddSeconds(9)); // still pending
        return run;
    }

    [Fact]
    public async Task Add_inserts_the_run_and_its_children_and_sets_their_generated_ids()
    {
        await using var store = await TestStore.CreateAsync();
        var run = BusyRun();

        await store.Runs.AddAsync(run, None);

        Assert.All(run.Steps, s => Assert.NotEqual(0, s.Id));
        Assert.All(run.Approvals, a => Assert.NotEqual(0, a.Id));
        Assert.Equal(run.Steps.Count, run.Steps.Select(s => s.Id).Distinct().Count());
        Assert.Equal(4L, await store.ScalarAsync<long>("SELECT COUNT(*) FROM StepExecutions"));
        Assert.Equal(2L, await store.ScalarAsync<long>("SELECT COUNT(*) FROM Approvals"));
    }

    [Fact]
    public async Task A_run_reloaded_in_a_new_context_has_every_field_of_the_saved_one()
    {
        await using var store = await TestStore.CreateAsync();
        var run = BusyRun();
        run.SealTranscript("digest-123", 42);
        await store.Runs.AddAsync(run, None);

        var loaded = await store.Runs.GetAsync(run.Id, None);

        Assert.NotNull(loaded);
        Assert.NotSame(run, loaded);
        StateAssert.SameRun(run, loaded);
        Assert.Equal(["master-1", "master-2", "", "master-0"], loaded.Steps.Select(s => s.Host)); // by Order
        Assert.Equal(ApprovalDecision.Approved, loaded.Approvals[0].Decision);
        Assert.Equal("bob", loaded.Approvals[0].DecidedBy);
        Assert.Equal(T0, loaded.CreatedAt);
        Assert.Equal(T0.UtcTicks, loaded.CreatedAt.UtcTicks);
        // The reloaded aggregate still behaves: the state machine sees the stored status.
        Assert.True(loaded.CanMoveTo(RunStatus.Running));
        Assert.Same(loaded.Approvals[1], loaded.PendingApproval("restart-kubelet"));
    }

    [Fact]
    public async Task Get_returns_null_for_an_unknown_run()
    {
        await using var store = await TestStore.CreateAsync();
        Assert.Null(await store.Runs.GetAsync(Guid.NewGuid(), None));
    }

    [Fact]
    public async Task A_second_save_inserts_only_the_new_children_keeps_ids_and_writes_only_what_changed()
    {
        await using var store = await TestStore.CreateAsync();
        var run = BusyRun();
        await store.Runs.AddAsync(run, None);
        var stepIds = run.Steps.Select(s => s.Id).ToArray();
        var approvalIds = run.Approvals.Select(a => a.Id).ToArray();
        await WriteLog.InstallAsync(store);

        // Nothing changed: nothing is written.
        await store.Runs.SaveAsync(run, None);
        Assert.Equal([], await WriteLog.ReadAsync(store));

        // One new step and one new approval: two inserts, no update of the children already stored.
        var csrs = run.StepOn("approve-csrs", "", "Approve pending CSRs");
        var extra = run.RequestApproval("etcd-redeploy", "Force etcd redeployment", T0.AddSeconds(20));
        await store.Runs.SaveAsync(run, None);

        Assert.NotEqual(0, csrs.Id);
        Assert.NotEqual(0, extra.Id);
        Assert.Equal(stepIds, run.Steps.Take(stepIds.Length).Select(s => s.Id));
        Assert.Equal(approvalIds, run.Approvals.Take(approvalIds.Length).Select(a => a.Id));
        Assert.Equal(["INSERT Approvals " + extra.Id, "INSERT StepExecutions " + csrs.Id], await WriteLog.ReadAsync(store));

        // One step and the run change: exactly those two rows are updated.
        await WriteLog.ClearAsync(store);
        run.MoveTo(RunStatus.Running, T0.AddSeconds(21));
        run.Steps[3].Start(T0.AddSeconds(22));
        await store.Runs.SaveAsync(run, None);
        Assert.Equal(["UPDATE Runs", "UPDATE StepExecutions " + run.Steps[3].Id], await WriteLog.ReadAsync(store));

        StateAssert.SameRun(run, (await store.Runs.GetAsync(run.Id, None))!);
    }

    [Fact]
    public async Task A_reloaded_run_can_be_changed_and_saved_again()
    {
        await using var store = await TestStore.CreateAsync();
        var run = BusyRun();
        await store.Runs.AddAsync(run, None);

        var loaded = (await store.Runs.GetAsync(run.Id, None))!;
        loaded.MoveTo(RunStatus.Running, T0.AddMinutes(1));
        loaded.FindStep("restore", "master-0")!.Start(T0.AddMinutes(1));
        loaded.StepOn("approve-csrs", "", "Approve pending CSRs");
        await store.Runs.SaveAsync(loaded, None);

        var again = (await store.Runs.GetAsync(run.Id, None))!;
        StateAssert.SameRun(loaded, again);
        Assert.Equal(StepStatus.Running, again.FindStep("restore", "master-0")!.Status);
        Assert.Equal(5, again.Steps.Count);
    }

    [Fact]
    public async Task Status_transitions_are_persisted_one_by_one()
    {
        await using var store = await TestStore.CreateAsync();
        var run = NewRun();
        await store.Runs.AddAsync(run, None);

        var path = new (RunStatus Status, string? Reason)[]
        {
            (RunStatus.Running, null),
            (RunStatus.WaitingForOperator, "confirm the backup"),
            (RunStatus.Running, null),
            (RunStatus.Interrupted, "console stopped"),
            (RunStatus.Running, "resumed by alice"),
            (RunStatus.Succeeded, null),
        };
        var now = T0;
        foreach (var (status, reason) in path)
        {
            now = now.AddMinutes(1);
            run.MoveTo(status, now, reason);
            await store.Runs.SaveAsync(run, None);

            var loaded = (await store.Runs.GetAsync(run.Id, None))!;
            Assert.Equal(status, loaded.Status);
            Assert.Equal(reason, loaded.StatusReason);
            Assert.Equal(T0.AddMinutes(1), loaded.StartedAt); // set once, by the first Running
            Assert.Equal(run.EndedAt, loaded.EndedAt);
        }
        Assert.Equal("Succeeded", await store.ScalarAsync<string>("SELECT Status FROM Runs")); // enums as strings
    }

    [Fact]
    public async Task Save_of_a_run_never_added_inserts_it()
    {
        await using var store = await TestStore.CreateAsync();
        var run = BusyRun();
        await store.Runs.SaveAsync(run, None);
        StateAssert.SameRun(run, (await store.Runs.GetAsync(run.Id, None))!);
    }

    [Fact]
    public async Task Different_runs_save_concurrently()
    {
        await using var store = await TestStore.CreateAsync();
        var runs = Enumerable.Range(0, 8).Select(_ => NewRun()).ToArray();
        foreach (var run in runs) await store.Runs.AddAsync(run, None);

        await Task.WhenAll(runs.Select(run => Task.Run(async () =>
        {
            run.MoveTo(RunStatus.Running, T0.AddSeconds(1));
            for (var i = 0; i < 25; i++)
            {
                var step = run.StepOn($"step-{i}", "master-0", $"Step {i}");
                step.Start(T0.AddSeconds(i));
                await store.Runs.SaveAsync(run, None);
                step.Finish(StepStatus.Succeeded, T0.AddSeconds(i + 1));
                await store.Runs.SaveAsync(run, None);
            }
        })));

        foreach (var run in runs)
        {
            var loaded = (await store.Runs.GetAsync(run.Id, None))!;
            StateAssert.SameRun(run, loaded);
            Assert.All(loaded.Steps, s => Assert.Equal(StepStatus.Succeeded, s.Status));
        }
        Assert.Equal(200L, await store.ScalarAsync<long>("SELECT COUNT(*) FROM StepExecutions"));
    }

    /// <summary>SQLite triggers that record every row written to the run tables, to see what a save really does.</summary>
    private static class WriteLog
    {
        public static Task InstallAsync(TestStore store) => store.ExecuteAsync("""
            CREATE TABLE WriteLog (Seq INTEGER PRIMARY KEY AUTOINCREMENT, Entry TEXT NOT NULL);
            CREATE TRIGGER log_run_update AFTER UPDATE ON Runs BEGIN INSERT INTO WriteLog (Entry) VALUES ('UPDATE Runs'); END;
            CREATE TRIGGER log_step_insert AFTER INSERT ON StepExecutions BEGIN INSERT INTO WriteLog (Entry) VALUES ('INSERT StepExecutions ' || NEW.Id); END;
            CREATE TRIGGER log_step_update AFTER UPDATE ON StepExecutions BEGIN INSERT INTO WriteLog (Entry) VALUES ('UPDATE StepExecutions ' || NEW.Id); END;
            CREATE TRIGGER log_approval_insert AFTER INSERT ON Approvals BEGIN INSERT INTO WriteLog (Entry) VALUES ('INSERT Approvals ' || NEW.Id); END;
            CREATE TRIGGER log_approval_update AFTER UPDATE ON Approvals BEGIN INSERT INTO WriteLog (Entry) VALUES ('UPDATE Approvals ' || NEW.Id); END;
            """);

        public static Task ClearAsync(TestStore store) => store.ExecuteAsync("DELETE FROM WriteLog");

        public static async Task<List<string>> ReadAsync(TestStore store)
        {
            await using var connection = await store.OpenConnectionAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT Entry FROM WriteLog ORDER BY Entry";
            var entries = new List<string>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) entries.Add(reader.GetString(0));
            return entries;
        }
    }
}
