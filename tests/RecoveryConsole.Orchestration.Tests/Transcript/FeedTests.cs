using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Tests.Support;
using RecoveryConsole.Orchestration.Transcript;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Tests.Transcript;

public sealed class FeedTests
{
    private static ScriptedHosts Chatty(int lines, ManualResetEventSlim? halfway = null) => new ScriptedHosts().When("seq", async (_, _, o, ct) =>
    {
        for (var i = 1; i <= lines; i++)
        {
            o.Line(i % 10 == 0 ? OutputStream.Stderr : OutputStream.Stdout, $"line {i}");
            if (i == lines / 2 && halfway is not null) await Task.Run(() => halfway.Wait(ct), ct);
        }
        return 0;
    });

    private static async Task<(List<TranscriptLine> Lines, RunView Last)> FollowToEndAsync(RunFeed feed, Guid id, long after = 0)
    {
        var lines = new List<TranscriptLine>();
        RunView? last = null;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await foreach (var e in feed.FollowAsync(id, after, timeout.Token))
        {
            if (e is LinesAppended appended) lines.AddRange(appended.Lines);
            if (e is RunUpdated updated)
            {
                last = updated.View;
                if (updated.View.Status.IsFinal() && updated.View.TranscriptDigest is not null) break;
            }
        }
        return (lines, last!);
    }

    [Fact]
    public async Task An_early_and_a_late_viewer_see_the_same_transcript_line_for_line()
    {
        var halfway = new ManualResetEventSlim();
        var hosts = Chatty(20_000, halfway);
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With("""
              - { id: chatty, title: Chatty, section: "1", on: recoveryHost, run: "seq 1 20000" }
            """));
        var id = await engine.StartRunAsync();
        var early = FollowToEndAsync(engine.Feed, id);
        await engine.WaitForAsync(id, r => r.FindStep("chatty", "m0")?.Status == StepStatus.Running, "chatty running");
        await Task.Delay(200);

        var late = FollowToEndAsync(engine.Feed, id); // joins while half the lines are out and the rest are coming
        halfway.Set();
        var (earlyLines, _) = await early;
        var (lateLines, lastView) = await late;

        Assert.Equal(RunStatus.Succeeded, lastView.Status);
        Assert.Equal(Enumerable.Range(1, earlyLines.Count).Select(i => (long)i), earlyLines.Select(l => l.Sequence));
        Assert.Equal(earlyLines.Select(l => (l.Sequence, l.Text, l.Stream)), lateLines.Select(l => (l.Sequence, l.Text, l.Stream)));
        Assert.Equal(20_000, earlyLines.Count(l => l.Text.StartsWith("line ", StringComparison.Ordinal)));
        Assert.Equal(await engine.TranscriptAsync(id), earlyLines);
    }

    [Fact]
    public async Task A_viewer_can_continue_after_the_last_sequence_it_has()
    {
        var hosts = Chatty(500);
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With("""
              - { id: chatty, title: Chatty, section: "1", on: recoveryHost, run: "seq 1 500" }
            """));
        var id = await engine.StartRunAsync();
        await engine.WaitForAsync(id, r => r.TranscriptDigest is not null, "sealed");

        var (rest, _) = await FollowToEndAsync(engine.Feed, id, after: 100);

        Assert.Equal(101, rest[0].Sequence);
        Assert.Equal((await engine.TranscriptAsync(id)).Skip(100), rest);
    }

    [Fact]
    public async Task The_sealed_digest_matches_the_stored_transcript_and_an_edit_would_change_it()
    {
        var hosts = Chatty(300);
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With("""
              - { id: chatty, title: Chatty, section: "1", on: recoveryHost, run: "seq 1 300" }
            """));
        var id = await engine.StartRunAsync();
        var run = await engine.WaitForAsync(id, r => r.TranscriptDigest is not null, "sealed");

        var (digest, count) = await TranscriptDigest.ComputeAsync(engine.Transcripts, id, CancellationToken.None);

        Assert.Equal(run.TranscriptDigest, digest);
        Assert.Equal(run.TranscriptLineCount, count);
        Assert.Null(await engine.Audit.FindFirstBrokenAsync(CancellationToken.None));
        var audit = await engine.Audit.ListAsync(id, CancellationToken.None);
        Assert.Contains(audit, e => e.Detail.Contains($"sha256={digest}"));
    }

    [Fact]
    public async Task Secrets_printed_by_a_step_are_redacted_before_they_are_stored()
    {
        var hosts = new ScriptedHosts().When("cat kubeconfig", 0,
            "    client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQo=", "password=hunter2hunter2", "-----BEGIN RSA PRIVATE KEY-----MIIEow", "plain line");
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With("""
              - { id: show, title: Show, section: "1", on: recoveryHost, run: "cat kubeconfig" }
            """));
        var id = await engine.StartRunAsync();
        await engine.WaitForStatusAsync(id, RunStatus.Succeeded);

        var text = string.Join("\n", (await engine.TranscriptAsync(id)).Select(l => l.Text));

        Assert.DoesNotContain("LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQo=", text);
        Assert.DoesNotContain("hunter2hunter2", text);
        Assert.DoesNotContain("MIIEow", text);
        Assert.Contains("plain line", text);
        Assert.Contains(Redactor.Mask, text);
    }
}
