using Microsoft.Extensions.DependencyInjection;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Tests.Support;
using RecoveryConsole.Orchestration.Transcript;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Tests.Transcript;

/// <summary>The writer's bounded queue under bursts far larger than it holds, and what a finished run leaves behind.</summary>
public sealed class WriterBurstTests
{
    [Fact]
    public async Task A_burst_from_several_hosts_is_stored_once_each_in_order_through_a_queue_far_smaller_than_it()
    {
        const int Producers = 4, PerProducer = 20_000;
        await using var engine = await Support.Engine.StartInAsync(Support.Engine.NewFolder(), new TestCluster(new ScriptedHosts(), new NoApi()),
            services: s => s.Configure<TranscriptWriterOptions>(o => { o.Capacity = 256; o.BatchSize = 100; }));
        var runs = new[] { Guid.NewGuid(), Guid.NewGuid() };
        foreach (var run in runs) await engine.Feed.OpenAsync(run, CancellationToken.None);

        // Four hosts print at once into two runs: producers wait for room (capacity 256) and nothing may be lost or doubled.
        await Task.WhenAll(Enumerable.Range(0, Producers).Select(p => Task.Run(() =>
        {
            for (var i = 1; i <= PerProducer; i++)
                engine.Feed.Append(runs[p % 2], "burst", $"master-{p}", OutputStream.Stdout, $"host {p} line {i}");
        })));

        foreach (var run in runs)
        {
            var stored = await engine.TranscriptAsync(run);
            Assert.Equal(Enumerable.Range(1, PerProducer * Producers / 2).Select(i => (long)i), stored.Select(l => l.Sequence));
            foreach (var host in stored.GroupBy(l => l.Host))
                Assert.Equal(Enumerable.Range(1, PerProducer).Select(i => $"host {host.Key[^1]} line {i}"), host.Select(l => l.Text));
        }
    }

    [Fact]
    [Trait("Category", "Security")]
    public async Task A_run_that_ends_inside_a_private_key_leaves_nothing_behind_in_the_redactor_and_its_key_lines_stay_masked()
    {
        var hosts = new ScriptedHosts().When("cat-key", (_, _, o, _) =>
        {
            o.Line(OutputStream.Stdout, "-----BEGIN RSA PRIVATE KEY-----");
            o.Line(OutputStream.Stdout, "MIIEowIBAAKCAQEAcutOffKeyBody01");
            return Task.FromResult(0); // the key is cut off: no END line ever comes
        });
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), TestProcedure.With("""
              - { id: key, title: Key, section: "1", on: recoveryHost, run: "cat-key" }
            """));
        var redactor = engine.Services.GetRequiredService<Redactor>();
        var id = await engine.StartRunAsync();
        await engine.WaitForAsync(id, r => r.Status == RunStatus.Succeeded && r.TranscriptDigest is not null, "sealed");

        Assert.Equal(0, redactor.OpenKeyStreams);
        var lines = await engine.TranscriptAsync(id);
        Assert.DoesNotContain(lines, l => l.Text.Contains("cutOffKeyBody", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Text == Redactor.KeyLineMask);
    }
}
