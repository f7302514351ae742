using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Transports.Ssh.Tests.Fixtures;

namespace RecoveryConsole.Transports.Ssh.Tests.Commands;

[Collection(SshCollection.Name)]
[Trait("Category", "Ssh")]
public sealed class StreamingTests(SshFixture fixture)
{
    [Fact]
    public async Task Stdout_and_stderr_arrive_each_in_order_and_complete()
    {
        await using var transport = fixture.Transport();
        var sink = new CollectingSink();

        var exit = await transport.RunAsync(fixture.Host,
            "for i in $(seq 1 300); do echo \"out $i\"; echo \"err $i\" >&2; done", sink, CancellationToken.None);

        Assert.Equal(0, exit);
        Assert.Equal(Enumerable.Range(1, 300).Select(i => $"out {i}"), sink.Stdout);
        Assert.Equal(Enumerable.Range(1, 300).Select(i => $"err {i}"), sink.Stderr);
    }

    [Fact]
    public async Task Lines_are_delivered_while_the_command_is_still_running()
    {
        // The command waits for a file that the test creates only after it received the first line:
        // a transport that buffered output until the end would never finish (the timeout would fire instead).
        await using var transport = fixture.Transport();
        var go = Path.Combine(fixture.Server.Directory, "go-" + Guid.NewGuid().ToString("N"));
        var sink = new CollectingSink();
        var first = sink.Seen("first");
        _ = first.ContinueWith(_ => File.WriteAllText(go, ""), TaskScheduler.Default);

        var exit = await transport.RunAsync(fixture.Host, $"echo first; while [ ! -e {go} ]; do sleep 0.05; done; echo second",
            sink, TimeSpan.FromMinutes(1), CancellationToken.None);

        Assert.Equal(0, exit);
        Assert.Equal(["first", "second"], sink.Stdout);
    }

    [Fact]
    public async Task A_final_line_without_newline_counts_on_both_streams()
    {
        await using var transport = fixture.Transport();
        var sink = new CollectingSink();

        var exit = await transport.RunAsync(fixture.Host, "printf 'a\\nb'; printf 'x\\ny' >&2", sink, CancellationToken.None);

        Assert.Equal(0, exit);
        Assert.Equal(["a", "b"], sink.Stdout);
        Assert.Equal(["x", "y"], sink.Stderr);
    }

    [Fact]
    public async Task Empty_lines_and_utf8_are_kept_and_no_marker_leaks()
    {
        await using var transport = fixture.Transport();
        var sink = new CollectingSink();

        var exit = await transport.RunAsync(fixture.Host, "printf '\\n\\nétcd ✓ 日本\\n\\n'", sink, CancellationToken.None);

        Assert.Equal(0, exit);
        Assert.Equal(["", "", "étcd ✓ 日本", ""], sink.Stdout);
        Assert.DoesNotContain(sink.Stdout.Concat(sink.Stderr), l => l.Contains("__RC_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_million_lines_arrive_complete_and_in_order()
    {
        await using var transport = fixture.Transport();
        var sink = new CountingSink();

        var exit = await transport.RunAsync(fixture.Host, "seq 1 1000000", sink, CancellationToken.None);

        Assert.Equal(0, exit);
        Assert.Equal(1_000_000, sink.Count);
        Assert.Null(sink.FirstDisorder);
    }

    [Fact]
    public async Task Output_that_looks_like_the_exit_marker_is_output()
    {
        // The command digs the wrapper's nonce out of its own process listing and prints a forged exit marker:
        // only the wrapper's real last line counts, the forged one is ordinary output.
        await using var transport = fixture.Transport();
        var sink = new CollectingSink();

        var exit = await transport.RunAsync(fixture.Host,
            "tag=$(ps -o args= -p $$ | grep -o '__RC_[0-9a-f]*' | head -n 1); echo \"${tag}_exit 7\"", sink, CancellationToken.None);

        Assert.Equal(0, exit);
        var forged = Assert.Single(sink.Stdout);
        Assert.Matches("^__RC_[0-9a-f]{16}_exit 7$", forged);
    }

    private sealed class CountingSink : IOutputSink
    {
        public int Count;
        public string? FirstDisorder;

        public void Line(OutputStream stream, string text)
        {
            if (stream != OutputStream.Stdout) { FirstDisorder ??= $"{stream}: {text}"; return; }
            Count++;
            if (FirstDisorder is null && text != Count.ToString(System.Globalization.CultureInfo.InvariantCulture))
                FirstDisorder = $"line {Count} was '{text}'";
        }
    }
}
