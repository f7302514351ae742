using System.Diagnostics;

namespace RecoveryConsole.Lab.Tests.Shell;

[Trait("Category", "Lab")]
public sealed class ShellPipelineTests
{
    private readonly ShellHarness _shell = new();

    [Fact]
    public async Task Stage_output_feeds_the_next_stage()
    {
        // The wait condition of the etcd stop step: only the etcd member container itself may remain.
        const string ps = "printf 'etcd\\netcd-operator\\netcd-guard-master-0\\nkube-apiserver\\netcdctl\\n'";
        var (code, sink) = await _shell.RunAsync(ps + " | grep etcd | egrep -v \"operator|etcd-guard\"");
        Assert.Equal(0, code);
        Assert.Equal(["etcd", "etcdctl"], sink.Stdout);

        (code, sink) = await _shell.RunAsync(ps + " | grep -v etcd | wc -l");
        Assert.Equal(0, code);
        Assert.Equal(["1"], sink.Stdout);
    }

    [Fact]
    public async Task Pipeline_status_is_the_last_stages()
    {
        Assert.Equal(0, (await _shell.RunAsync("false | true")).Code);
        Assert.Equal(1, (await _shell.RunAsync("true | false")).Code);
        Assert.Equal(1, (await _shell.RunAsync("echo abc | grep -q xyz")).Code);
        Assert.Equal(127, (await _shell.RunAsync("echo abc | nosuch")).Code);
    }

    [Fact]
    public async Task Stderr_of_any_stage_reaches_the_sink_directly()
    {
        var (_, sink) = await _shell.RunAsync("cat /missing | wc -l");
        Assert.Equal(["0"], sink.Stdout);
        Assert.Equal(["cat: /missing: No such file or directory"], sink.Stderr);
    }

    [Fact]
    public async Task Seq_streams_a_million_lines()
    {
        var sink = new CountingSink();
        var code = await _shell.Shell.RunAsync("seq 1 1000000", _shell.Host, sink, CancellationToken.None);
        Assert.Equal(0, code);
        Assert.Equal(1_000_000, sink.Count);
        Assert.Equal("1", sink.First);
        Assert.Equal("1000000", sink.Last);
    }

    [Fact]
    public async Task Lines_reach_the_sink_while_the_command_is_still_running()
    {
        var realTime = new ShellHarness(timeScale: 1);
        var firstLine = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sink = new CountingSink(_ => firstLine.TrySetResult());
        using var cts = new CancellationTokenSource();
        var run = realTime.Shell.RunAsync("echo started; sleep 60; echo done", realTime.Host, sink, cts.Token);

        await firstLine.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(run.IsCompleted);
        Assert.Equal(1, sink.Count);

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Equal(1, sink.Count);
    }

    [Fact]
    public async Task Cancelling_mid_stream_stops_promptly()
    {
        using var cts = new CancellationTokenSource();
        var sink = new CountingSink(n =>
        {
            if (n == 10_000) cts.Cancel();
        });
        var stopwatch = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => _shell.Shell.RunAsync("seq 1 1000000", _shell.Host, sink, cts.Token));
        Assert.InRange(sink.Count, 10_000, 12_000);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task Cancelling_a_pipeline_stops_every_stage()
    {
        using var cts = new CancellationTokenSource();
        var sink = new CountingSink(n =>
        {
            if (n == 5_000) cts.Cancel();
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => _shell.Shell.RunAsync("seq 1 1000000 | grep -v 7 | cat", _shell.Host, sink, cts.Token));
        Assert.True(sink.Count < 20_000, $"{sink.Count} lines after cancel");
    }

    [Fact]
    public async Task A_reader_that_stops_early_ends_the_writer_like_sigpipe()
    {
        var stopwatch = Stopwatch.StartNew();
        var (code, sink) = await _shell.RunAsync("seq 1 100000000 | head -n 3");
        Assert.Equal(0, code);
        Assert.Equal(["1", "2", "3"], sink.Stdout);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task Sleep_is_scaled_by_the_time_scale()
    {
        var stopwatch = Stopwatch.StartNew();
        var (code, _) = await _shell.RunAsync("sleep 2; sleep 0.5s"); // 2.5 s simulated at 1/1000
        Assert.Equal(0, code);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(1.5), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task Sleep_is_cancellable()
    {
        var realTime = new ShellHarness(timeScale: 1);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        var stopwatch = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => realTime.RunAsync("sleep 600", cts.Token));
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"took {stopwatch.Elapsed}");
    }
}
