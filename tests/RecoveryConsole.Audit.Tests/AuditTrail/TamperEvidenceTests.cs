using Microsoft.Extensions.DependencyInjection;
using RecoveryConsole.Audit.AuditTrail;
using RecoveryConsole.Audit.Tests.TestSupport;
using RecoveryConsole.Orchestration.Approvals;
using RecoveryConsole.Orchestration.Audit;
using RecoveryConsole.Orchestration.Runs;

namespace RecoveryConsole.Audit.Tests.AuditTrail;

/// <summary>
/// Someone who can write the SQLite file (but has neither the chain key nor the anchor file) edits it with raw SQL on the
/// real file; the verifier must say what was done and where.
/// </summary>
[Trait("Category", "Security")]
public sealed class TamperEvidenceTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly Actor Bob = new("bob", [Roles.Approver]);

    private static async Task AppendAsync(IAuditLog log, int count, int from = 0)
    {
        for (var i = from; i < from + count; i++)
            await log.AppendAsync(new AuditEvent(T0.AddSeconds(i), "alice", AuditKinds.CommandSent, null, $"cmd {i}"), None);
    }

    private static async Task<long> MaxIdAsync(TestStore store) => await store.ScalarAsync<long>("SELECT MAX(Id) FROM AuditEvents");

    [Fact]
    public async Task An_untouched_log_with_runs_verifies_intact()
    {
        await using var store = await TestStore.CreateAsync();
        await AppendAsync(store.AuditLog, 5);
        var (run, _) = await RunWithApprovalAsync(store, ApprovalDecision.Rejected);
        run.MoveTo(RunStatus.Running, T0.AddMinutes(2));
        await store.Runs.SaveAsync(run, None);

        var result = await store.AuditLog.VerifyAsync(None);

        Assert.True(result.Intact, string.Join("\n", result.Findings));
        Assert.Equal(await MaxIdAsync(store), result.Head!.Sequence);
        Assert.Equal(result.Head, result.AnchoredHead);
    }

    [Fact]
    public async Task Deleting_the_newest_entries_is_reported_as_truncation()
    {
        await using var store = await TestStore.CreateAsync();
        await AppendAsync(store.AuditLog, 10);
        var max = await MaxIdAsync(store);

        Assert.Equal(3, await store.ExecuteAsync("DELETE FROM AuditEvents WHERE Id > $id", ("$id", max - 3)));

        var result = await store.AuditLog.VerifyAsync(None);
        Assert.False(result.Intact);
        Assert.Null(result.FirstBrokenId); // what is left is a valid chain: only the anchor tells
        Assert.Contains($"truncated after seq {max - 3}", result.Findings[0]);
    }

    [Fact]
    public async Task Deleting_the_newest_entries_is_still_reported_after_the_console_appended_again()
    {
        await using var store = await TestStore.CreateAsync();
        await AppendAsync(store.AuditLog, 10);
        var max = await MaxIdAsync(store);
        await store.ExecuteAsync("DELETE FROM AuditEvents WHERE Id > $id", ("$id", max - 3));

        await AppendAsync(store.AuditLog, 5, from: 100); // the console goes on, reusing the deleted sequence numbers

        var result = await store.AuditLog.VerifyAsync(None);
        Assert.Contains(result.Findings, f => f.Contains($"truncated after seq {max - 3}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_rewritten_approval_with_its_fact_rechained_by_plain_sha256_is_detected_and_named()
    {
        await using var store = await TestStore.CreateAsync();
        var (run, approval) = await RunWithApprovalAsync(store, ApprovalDecision.Rejected);
        await AppendAsync(store.AuditLog, 3);

        // The forger turns the rejection into an approval in the row and in its chained fact, then rebuilds the whole
        // chain with plain SHA-256 (the old rule) so every link holds again.
        await store.ExecuteAsync("UPDATE Approvals SET Decision = 'Approved', Reason = 'looks fine' WHERE Id = $id", ("$id", approval.Id));
        var events = await store.AuditLog.ListAsync(null, None);
        var fact = events.Last(e => e.Kind == ChainedFactKinds.Fact && e.Detail.Contains("\"approval\"", StringComparison.Ordinal));
        var forgedDetail = fact.Detail.Replace("\"Rejected\"", "\"Approved\"").Replace("\"rollback planned\"", "\"looks fine\"");
        Assert.NotEqual(fact.Detail, forgedDetail);
        await store.ExecuteAsync("UPDATE AuditEvents SET Detail = $d WHERE Id = $id", ("$d", forgedDetail), ("$id", fact.Id));
        await RechainWithSha256Async(store);

        var result = await store.AuditLog.VerifyAsync(None);
        Assert.False(result.Intact);
        Assert.Equal(events[0].Id, result.FirstBrokenId); // no entry carries the keyed hash any more
        Assert.Contains(result.Findings, f => f.Contains("re-chained at seq", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Findings, f => f.Contains($"approval {approval.Id} ", StringComparison.Ordinal)); // row and fact agree: the chain is what tells
    }

    [Fact]
    public async Task A_deleted_anchor_file_is_reported()
    {
        await using var store = await TestStore.CreateAsync();
        await AppendAsync(store.AuditLog, 3);

        File.Delete(store.Options.AnchorPath);

        var finding = Assert.Single((await store.AuditLog.VerifyAsync(None)).Findings);
        Assert.Contains("the outside anchor", finding);
        Assert.Contains("is missing or empty", finding);
    }

    [Fact]
    public async Task A_rewritten_approval_row_is_named_with_the_column_that_differs()
    {
        await using var store = await TestStore.CreateAsync();
        var (run, approval) = await RunWithApprovalAsync(store, ApprovalDecision.Rejected);

        await store.ExecuteAsync("UPDATE Approvals SET Decision = 'Approved' WHERE Id = $id", ("$id", approval.Id));

        var result = await store.AuditLog.VerifyAsync(None);
        var finding = Assert.Single(result.Findings);
        Assert.Contains($"approval {approval.Id} (run {run.Id.ToString()[..8]}, step restore)", finding);
        Assert.Contains("Decision is 'Approved', chained 'Rejected'", finding);
    }

    [Fact]
    public async Task Edited_step_outcome_and_run_status_rows_are_named()
    {
        await using var store = await TestStore.CreateAsync();
        var run = new Run("p", "P", "h", "lab", false, "{}", "alice", T0);
        run.MoveTo(RunStatus.Running, T0);
        var step = run.StepOn("restore", "", "Restore");
        step.Start(T0);
        step.Finish(StepStatus.Failed, T0.AddSeconds(5), "exit 1", 1);
        run.MoveTo(RunStatus.Failed, T0.AddSeconds(6), "restore failed");
        await store.Runs.AddAsync(run, None);

        await store.ExecuteAsync("UPDATE StepExecutions SET Status = 'Succeeded', ExitCode = 0 WHERE Id = $id", ("$id", step.Id));
        await store.ExecuteAsync("UPDATE Runs SET Status = 'Succeeded' WHERE Id = $id", ("$id", run.Id.ToString().ToUpperInvariant()));
        await store.ExecuteAsync("INSERT INTO Approvals (RunId, StepPath, StepTitle, RequestedBy, RequestedAt, Decision, DecidedBy, Consumed) " +
                                 "SELECT RunId, 'wipe', 'Wipe', 'alice', 0, 'Approved', 'bob', 0 FROM StepExecutions WHERE Id = $id", ("$id", step.Id));

        var findings = (await store.AuditLog.VerifyAsync(None)).Findings;
        Assert.Contains(findings, f => f.StartsWith($"step execution {step.Id} (run {run.Id.ToString()[..8]}, restore)", StringComparison.Ordinal)
                                       && f.Contains("Status is 'Succeeded', chained 'Failed'", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.StartsWith($"run {run.Id}", StringComparison.OrdinalIgnoreCase) && f.Contains("Status is 'Succeeded', chained 'Failed'", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.Contains("step wipe) has no chained record", StringComparison.Ordinal));
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task The_database_key_and_anchor_are_owner_only()
    {
        await using var store = await TestStore.CreateAsync();
        await AppendAsync(store.AuditLog, 1);
        var options = store.Options;

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(options.DataDirectory));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(options.KeysDirectory));
        foreach (var file in new[]
                 {
                     options.DatabasePath, options.DatabasePath + "-wal", options.DatabasePath + "-shm",
                     Path.Combine(options.KeysDirectory, AuditChainKey.FileName), options.AnchorPath,
                 })
            Assert.True((UnixFileMode.UserRead | UnixFileMode.UserWrite) == File.GetUnixFileMode(file), $"{file} is {File.GetUnixFileMode(file)}");
    }

    [Fact]
    public async Task The_chain_key_is_not_in_the_database()
    {
        await using var store = await TestStore.CreateAsync();
        await AppendAsync(store.AuditLog, 3);
        var key = await File.ReadAllBytesAsync(Path.Combine(store.Options.KeysDirectory, AuditChainKey.FileName));
        var hexKey = Convert.ToHexString(key);
        var database = await File.ReadAllBytesAsync(store.Options.DatabasePath);
        Assert.Equal(32, key.Length);
        Assert.Equal(-1, database.AsSpan().IndexOf(key));
        Assert.Equal(0, await store.ScalarAsync<long>("SELECT COUNT(*) FROM AuditEvents WHERE instr(upper(Detail), $k) > 0", ("$k", hexKey)));
    }

    [Fact]
    public async Task An_older_unkeyed_chain_is_continued_from_a_recorded_boundary()
    {
        await using var store = await TestStore.CreateAsync();
        // Stand for a log written before the keyed chain: entries with plain SHA-256, no key file, no anchor.
        var previous = AuditChain.Genesis;
        for (var i = 0; i < 4; i++)
        {
            var e = new AuditEvent(T0.AddSeconds(i), "alice", AuditKinds.CommandSent, null, $"old {i}");
            var hash = AuditChain.HashOf(e, previous);
            await store.ExecuteAsync("INSERT INTO AuditEvents (Time, Actor, Kind, RunId, Detail, PreviousHash, Hash) VALUES ($t, 'alice', $k, NULL, $d, $p, $h)",
                ("$t", e.Time.UtcTicks), ("$k", e.Kind), ("$d", e.Detail), ("$p", previous), ("$h", hash));
            previous = hash;
        }
        File.Delete(Path.Combine(store.Options.KeysDirectory, AuditChainKey.FileName));
        File.Delete(store.Options.AnchorPath);

        await using (var upgraded = new ServiceCollection().AddAuditStore(store.Options.DatabasePath).BuildServiceProvider())
        {
            await upgraded.MigrateAuditStoreAsync(None);
            var log = upgraded.GetRequiredService<IAuditLog>();
            await AppendAsync(log, 2, from: 10);
            var result = await log.VerifyAsync(None);
            Assert.True(result.Intact, string.Join("\n", result.Findings));
            var boundary = Assert.Single(await log.ListAsync(null, None), e => e.Kind == ChainedFactKinds.ChainKeyed);
            Assert.Equal(5, boundary.Id);

            // The old prefix is still checked, by the old rule.
            await store.ExecuteAsync("UPDATE AuditEvents SET Detail = 'edited' WHERE Id = 2");
            Assert.Equal(2, (await log.VerifyAsync(None)).FirstBrokenId);
        }
    }

    [Fact]
    public async Task Each_chain_head_is_also_sent_to_syslog_when_a_socket_is_configured()
    {
        // A real datagram socket stands for /dev/log; the real util-linux logger writes to it.
        var folder = Path.Combine(Path.GetTempPath(), "rc-syslog-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        var socketPath = Path.Combine(folder, "log");
        using var syslog = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Unspecified);
        syslog.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(socketPath));
        try
        {
            await using var services = new ServiceCollection()
                .AddAuditStore(Path.Combine(folder, "data", "audit.db"), configure: o => o.SyslogSocket = socketPath).BuildServiceProvider();
            await services.MigrateAuditStoreAsync(None);
            var log = services.GetRequiredService<IAuditLog>();
            await AppendAsync(log, 1);
            var head = await log.HeadAsync(None);

            var buffer = new byte[4096];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var received = await syslog.ReceiveAsync(buffer, System.Net.Sockets.SocketFlags.None, timeout.Token);
            var message = System.Text.Encoding.UTF8.GetString(buffer, 0, received);
            Assert.Contains("recoveryconsole-audit", message);
            Assert.Contains($"audit head seq {head!.Sequence} hash {head.Hash}", message);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<(Run Run, Approval Approval)> RunWithApprovalAsync(TestStore store, ApprovalDecision decision)
    {
        var run = new Run("p", "P", "h", "lab", false, "{}", "alice", T0);
        await store.Runs.AddAsync(run, None);
        var approval = run.RequestApproval("restore", "Restore", T0.AddSeconds(1));
        await store.Runs.SaveAsync(run, None);
        ApprovalPolicy.Decide(run, approval, Bob, decision, "rollback planned", T0.AddSeconds(2));
        await store.Runs.SaveAsync(run, None);
        return (run, approval);
    }

    /// <summary>What a forger without the key can do: recompute every link with the published unkeyed rule.</summary>
    private static async Task RechainWithSha256Async(TestStore store)
    {
        var previous = AuditChain.Genesis;
        foreach (var e in await store.AuditLog.ListAsync(null, None))
        {
            var hash = AuditChain.HashOf(e, previous);
            await store.ExecuteAsync("UPDATE AuditEvents SET PreviousHash = $p, Hash = $h WHERE Id = $id", ("$p", previous), ("$h", hash), ("$id", e.Id));
            previous = hash;
        }
    }
}
