using Microsoft.Data.Sqlite;
using RecoveryConsole.Orchestration.Audit;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Tests.Support;
using RecoveryConsole.Orchestration.Transcript;

namespace RecoveryConsole.Orchestration.Tests.Transcript;

/// <summary>The seal written when a run ends, against edits of the real SQLite file and against a resume.</summary>
[Trait("Category", "Security")]
public sealed class SealTests
{
    private const string OneStep = """
          - { id: one, title: One, section: "1", on: recoveryHost, run: "step-one" }
        """;

    /// <summary>step-one fails the first time (a failed run is sealed), then succeeds; step two waits for an approval.</summary>
    private const string FailOnceThenApproval = """
          - { id: one, title: One, section: "1", on: recoveryHost, run: "step-one" }
          - { id: two, title: Two, section: "2", destructive: true, on: recoveryHost, run: "step-two" }
        """;

    private static async Task<TranscriptIntegrity> CheckAsync(Support.Engine engine, Guid runId)
    {
        var run = await engine.Repository.GetAsync(runId, CancellationToken.None);
        return await TranscriptIntegrity.CheckAsync(RunView.From(run!), engine.Transcripts, await engine.Audit.ListAsync(runId, CancellationToken.None), CancellationToken.None);
    }

    private static async Task<int> ExecuteAsync(Support.Engine engine, string sql, params (string, object)[] parameters)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(engine.Folder, "console.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return await command.ExecuteNonQueryAsync();
    }

    private static async Task<(Support.Engine Engine, Guid RunId)> SucceededRunAsync()
    {
        var hosts = new ScriptedHosts().When("step-one", 0, "alpha", "bravo", "charlie", "delta", "echo");
        var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With(OneStep));
        var id = await engine.StartRunAsync();
        await engine.WaitForAsync(id, r => r.Status == RunStatus.Succeeded && r.TranscriptDigest is not null, "sealed");
        return (engine, id);
    }

    [Fact]
    public async Task An_untouched_sealed_transcript_is_intact()
    {
        var (engine, id) = await SucceededRunAsync();
        await using var _ = engine;

        var integrity = await CheckAsync(engine, id);

        Assert.Equal(TranscriptState.Intact, integrity.State);
        Assert.True((await engine.Audit.VerifyAsync(CancellationToken.None)).Intact);
    }

    [Fact]
    public async Task A_line_edited_in_the_database_after_sealing_is_named()
    {
        var (engine, id) = await SucceededRunAsync();
        await using var _ = engine;
        var charlie = (await engine.TranscriptAsync(id)).Single(l => l.Text == "charlie");

        Assert.Equal(1, await ExecuteAsync(engine, "UPDATE TranscriptLines SET Text = 'all good' WHERE Id = (SELECT RunKey << 32 FROM TranscriptRuns WHERE RunId = $r) + $s",
            ("$r", id.ToByteArray()), ("$s", charlie.Sequence)));

        var integrity = await CheckAsync(engine, id);
        Assert.Equal(TranscriptState.EditedAfterSealing, integrity.State);
        Assert.Equal(charlie.Sequence, integrity.FirstChangedLine);
        Assert.Contains($"first changed line is {charlie.Sequence}", integrity.Message);
    }

    [Fact]
    public async Task A_line_deleted_after_sealing_is_named()
    {
        var (engine, id) = await SucceededRunAsync();
        await using var _ = engine;
        var bravo = (await engine.TranscriptAsync(id)).Single(l => l.Text == "bravo");

        await ExecuteAsync(engine, "DELETE FROM TranscriptLines WHERE Id = (SELECT RunKey << 32 FROM TranscriptRuns WHERE RunId = $r) + $s", ("$r", id.ToByteArray()), ("$s", bravo.Sequence));

        var integrity = await CheckAsync(engine, id);
        Assert.Equal(bravo.Sequence, integrity.FirstChangedLine);
        Assert.Contains($"line {bravo.Sequence} was deleted", integrity.Message);
    }

    [Fact]
    public async Task A_line_added_after_sealing_is_named()
    {
        var (engine, id) = await SucceededRunAsync();
        await using var _ = engine;
        var last = (await engine.TranscriptAsync(id))[^1];

        await ExecuteAsync(engine, "INSERT INTO TranscriptLines (Id, StepPath, Host, Stream, Timestamp, Text) " +
            "VALUES ((SELECT RunKey << 32 FROM TranscriptRuns WHERE RunId = $r) + $s, 'one', 'm0', 0, $t, 'approved by arjun')",
            ("$r", id.ToByteArray()), ("$s", last.Sequence + 1), ("$t", last.Timestamp.UtcTicks));

        var integrity = await CheckAsync(engine, id);
        Assert.Equal(last.Sequence + 1, integrity.FirstChangedLine);
        Assert.Contains($"line {last.Sequence + 1} was added after the {last.Sequence} sealed lines", integrity.Message);
    }

    [Fact]
    public async Task A_seal_without_line_tags_still_detects_an_edit_and_says_the_line_cannot_be_named()
    {
        var (engine, id) = await SucceededRunAsync();
        await using var _ = engine;
        // A seal written before per-line tags existed: digest and count only.
        await ExecuteAsync(engine, "UPDATE AuditEvents SET Detail = substr(Detail, 1, instr(Detail, ' linetags=') - 1) WHERE Kind = 'transcript.sealed'");
        var run = RunView.From((await engine.Repository.GetAsync(id, CancellationToken.None))!);
        var audit = await engine.Audit.ListAsync(id, CancellationToken.None);
        Assert.Equal(TranscriptState.Intact, (await TranscriptIntegrity.CheckAsync(run, engine.Transcripts, audit, CancellationToken.None)).State);

        await ExecuteAsync(engine, "UPDATE TranscriptLines SET Text = 'x' WHERE Id = (SELECT RunKey << 32 FROM TranscriptRuns WHERE RunId = $r) + 1", ("$r", id.ToByteArray()));

        var integrity = await TranscriptIntegrity.CheckAsync(run, engine.Transcripts, audit, CancellationToken.None);
        Assert.Equal(TranscriptState.EditedAfterSealing, integrity.State);
        Assert.Null(integrity.FirstChangedLine);
        Assert.Contains("no per-line evidence", integrity.Message);
    }

    [Fact]
    public async Task A_resumed_run_is_not_reported_as_tampered_while_active_and_is_sealed_again_at_its_end()
    {
        var sent = 0;
        var hosts = new ScriptedHosts().When("step-one", (h, c, o, ct) =>
        {
            o.Line(Transports.OutputStream.Stdout, "attempt " + Interlocked.Increment(ref sent));
            return Task.FromResult(sent == 1 ? 1 : 0);
        });
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With(FailOnceThenApproval));
        var id = await engine.StartRunAsync();
        var failed = await engine.WaitForAsync(id, r => r.Status == RunStatus.Failed && r.TranscriptDigest is not null, "failed and sealed");
        var firstSeal = failed.TranscriptDigest;
        for (var i = 0; i < 200 && engine.Runs.IsActive(id); i++) await Task.Delay(25); // the executor lets go of it

        await engine.Runs.ResumeAsync(id, Support.Engine.Olivia, "step one fixed by hand", CancellationToken.None);
        await engine.WaitForStatusAsync(id, RunStatus.WaitingForApproval);

        // Active again, with more lines than the seal of its failure covered: not tampering.
        var active = await CheckAsync(engine, id);
        Assert.Equal(TranscriptState.NotSealed, active.State);
        Assert.Contains("the run is WaitingForApproval", active.Message);
        Assert.True((await engine.Audit.VerifyAsync(CancellationToken.None)).Intact);

        await engine.Runs.ApproveAsync(id, "two", Support.Engine.Arjun, "ok", CancellationToken.None);
        var done = await engine.WaitForAsync(id, r => r.Status == RunStatus.Succeeded && r.TranscriptDigest != firstSeal, "sealed again");
        for (var i = 0; i < 200 && engine.Runs.IsActive(id); i++) await Task.Delay(25);

        Assert.Equal(TranscriptState.Intact, (await CheckAsync(engine, id)).State);
        var seals = (await engine.Audit.ListAsync(id, CancellationToken.None)).Where(e => e.Kind == AuditKinds.TranscriptSealed).ToList();
        Assert.Equal(2, seals.Count); // the first seal stays as history in the chain
        Assert.StartsWith($"sha256={firstSeal} ", seals[0].Detail);
        Assert.StartsWith($"sha256={done.TranscriptDigest} ", seals[1].Detail);
        Assert.True((await engine.Audit.VerifyAsync(CancellationToken.None)).Intact);
    }
}
