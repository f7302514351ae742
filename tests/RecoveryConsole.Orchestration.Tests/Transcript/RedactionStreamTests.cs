using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Tests.Support;
using RecoveryConsole.Orchestration.Transcript;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Tests.Transcript;

/// <summary>A private key printed over several lines by a real step, through RunFeed into the SQLite transcript.</summary>
[Trait("Category", "Security")]
public sealed class RedactionStreamTests
{
    private static readonly string[] KeyBody =
    [
        "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun",
        "VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK",
        "LxoS2tFczGkPLPgizskuemMghRniWaoLcyehkd3qqGElvW/VDL5AaWTg0nLVkjRo",
    ];

    [Fact]
    public async Task Every_line_of_a_private_key_is_masked_one_for_one_while_the_other_stream_and_the_lines_after_it_stay_readable()
    {
        var hosts = new ScriptedHosts().When("cat id_rsa", (_, _, o, _) =>
        {
            o.Line(OutputStream.Stdout, "copying the key:");
            o.Line(OutputStream.Stdout, "-----BEGIN RSA PRIVATE KEY-----");
            o.Line(OutputStream.Stdout, KeyBody[0]);
            o.Line(OutputStream.Stderr, "warning: key file is world-readable"); // another stream, between the key's lines
            o.Line(OutputStream.Stdout, KeyBody[1]);
            o.Line(OutputStream.Stdout, KeyBody[2]);
            o.Line(OutputStream.Stdout, "-----END RSA PRIVATE KEY-----");
            o.Line(OutputStream.Stdout, "copied 3 lines");
            return Task.FromResult(0);
        });
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With("""
              - { id: show, title: Show, section: "1", on: recoveryHost, run: "cat id_rsa" }
            """));
        var id = await engine.StartRunAsync();
        await engine.WaitForStatusAsync(id, RunStatus.Succeeded);

        var lines = (await engine.TranscriptAsync(id)).Where(l => l.StepPath == "show" && l.Stream != OutputStream.System).ToList();
        Assert.Equal(
            ["copying the key:", "-----BEGIN RSA PRIVATE KEY-----", Redactor.KeyLineMask, "warning: key file is world-readable",
             Redactor.KeyLineMask, Redactor.KeyLineMask, "-----END RSA PRIVATE KEY-----", "copied 3 lines"],
            lines.Select(l => l.Text));
        var all = string.Join("\n", (await engine.TranscriptAsync(id)).Select(l => l.Text));
        Assert.All(KeyBody, k => Assert.DoesNotContain(k[..20], all, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_key_cut_off_before_its_end_stops_masking_at_the_first_line_that_cannot_be_key_and_a_second_key_is_masked_again()
    {
        var hosts = new ScriptedHosts().When("dump", 0,
            "-----BEGIN OPENSSH PRIVATE KEY-----", KeyBody[0], "tail: cannot read more: input truncated",
            "next file:", "-----BEGIN PRIVATE KEY-----", KeyBody[1], "-----END PRIVATE KEY-----", "done");
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With("""
              - { id: dump, title: Dump, section: "1", on: recoveryHost, run: "dump" }
            """));
        var id = await engine.StartRunAsync();
        await engine.WaitForStatusAsync(id, RunStatus.Succeeded);

        var lines = (await engine.TranscriptAsync(id)).Where(l => l.StepPath == "dump" && l.Stream == OutputStream.Stdout).Select(l => l.Text);
        Assert.Equal(
            ["-----BEGIN OPENSSH PRIVATE KEY-----", Redactor.KeyLineMask, "tail: cannot read more: input truncated",
             "next file:", "-----BEGIN PRIVATE KEY-----", Redactor.KeyLineMask, "-----END PRIVATE KEY-----", "done"],
            lines);
    }

    [Fact]
    public async Task The_same_key_printed_on_two_hosts_at_once_is_masked_on_both()
    {
        var hosts = new ScriptedHosts().When("cat key", async (_, _, o, ct) =>
        {
            o.Line(OutputStream.Stdout, "-----BEGIN EC PRIVATE KEY-----");
            await Task.Delay(50, ct); // the other host's lines come in between
            foreach (var line in KeyBody) o.Line(OutputStream.Stdout, line);
            o.Line(OutputStream.Stdout, "-----END EC PRIVATE KEY-----");
            return 0;
        });
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With("""
              - { id: keys, title: Keys, section: "1", forEach: { hosts: controlPlaneHosts, mode: parallel }, run: "cat key" }
            """));
        var id = await engine.StartRunAsync();
        await engine.WaitForStatusAsync(id, RunStatus.Succeeded);

        var transcript = await engine.TranscriptAsync(id);
        foreach (var host in new[] { "m0", "m1", "m2" })
            Assert.Equal(KeyBody.Length, transcript.Count(l => l.Host == host && l.Text == Redactor.KeyLineMask));
        Assert.DoesNotContain(transcript, l => KeyBody.Any(k => l.Text.Contains(k[..20], StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_key_inside_a_multi_line_command_is_masked_in_the_stored_command_and_the_audit()
    {
        var hosts = new ScriptedHosts();
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With($$"""
              - id: install
                title: Install the key
                section: "1"
                on: recoveryHost
                run: |
                  cat > /root/.ssh/id_rsa <<'KEY'
                  -----BEGIN RSA PRIVATE KEY-----
                  {{KeyBody[0]}}
                  {{KeyBody[1]}}
                  -----END RSA PRIVATE KEY-----
                  KEY
            """));
        var id = await engine.StartRunAsync();
        var run = await engine.WaitForStatusAsync(id, RunStatus.Succeeded);

        Assert.Contains(KeyBody[0], Assert.Single(hosts.CommandsOn("m0")), StringComparison.Ordinal); // the host gets the key
        var stored = run.FindStep("install", "m0")!.Command!;
        Assert.Equal(["cat > /root/.ssh/id_rsa <<'KEY'", "-----BEGIN RSA PRIVATE KEY-----", Redactor.KeyLineMask, Redactor.KeyLineMask, "-----END RSA PRIVATE KEY-----", "KEY"],
            stored.TrimEnd('\n').Split('\n'));
        Assert.DoesNotContain(await engine.Audit.ListAsync(id, CancellationToken.None), e => KeyBody.Any(k => e.Detail.Contains(k[..20], StringComparison.Ordinal)));
    }
}
