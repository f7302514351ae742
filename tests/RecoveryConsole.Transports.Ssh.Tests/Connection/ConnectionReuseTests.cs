using RecoveryConsole.Transports.Ssh.Tests.Fixtures;

namespace RecoveryConsole.Transports.Ssh.Tests.Connection;

[Collection(SshCollection.Name)]
[Trait("Category", "Ssh")]
public sealed class ConnectionReuseTests(SshFixture fixture)
{
    [Fact]
    public async Task Commands_share_one_master_connection_per_host()
    {
        await using var transport = fixture.Transport();
        Assert.Equal(0, await transport.RunAsync(fixture.Host, "true", new CollectingSink(), CancellationToken.None));
        var socket = transport.ControlPathFor(fixture.Host);
        Assert.True(File.Exists(socket), "the control socket is missing after the first command");
        Assert.True((File.GetAttributes(socket) & FileAttributes.Directory) == 0);
        var master = await transport.MasterPidAsync(fixture.Host, CancellationToken.None);
        Assert.NotNull(master);

        var sink = new CollectingSink();
        Assert.Equal(0, await transport.RunAsync(fixture.Host, "echo second", sink, CancellationToken.None));

        Assert.Equal(["second"], sink.Stdout);
        Assert.Equal(master, await transport.MasterPidAsync(fixture.Host, CancellationToken.None));
        Assert.StartsWith(transport.RuntimeDirectory + "/", socket, StringComparison.Ordinal);
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(socket) < 90, $"socket path too long: {socket}");
    }

    [Fact]
    public async Task Dispose_closes_the_master_and_removes_the_private_directory()
    {
        var transport = fixture.Transport();
        await transport.RunAsync(fixture.Host, "true", new CollectingSink(), CancellationToken.None);
        var master = (await transport.MasterPidAsync(fixture.Host, CancellationToken.None))!.Value;
        var directory = transport.RuntimeDirectory;
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(directory));

        await transport.DisposeAsync();

        Assert.False(Directory.Exists(directory));
        Assert.True(await LocalProcesses.EventuallyAsync(() => !File.Exists($"/proc/{master}/cmdline") || File.ReadAllText($"/proc/{master}/cmdline").Length == 0),
            "the master ssh process is still alive after dispose");
        await Assert.ThrowsAsync<ObjectDisposedException>(() => transport.RunAsync(fixture.Host, "true", new CollectingSink(), CancellationToken.None));
    }

    [Fact]
    public async Task Without_reuse_every_command_connects_anew()
    {
        await using var transport = fixture.Transport(fixture.Profile() with { ReuseConnections = false });
        var sink = new CollectingSink();

        Assert.Equal(0, await transport.RunAsync(fixture.Host, "echo one", sink, CancellationToken.None));
        Assert.Equal(3, await transport.RunAsync(fixture.Host, "echo two; exit 3", sink, CancellationToken.None));

        Assert.Equal(["one", "two"], sink.Stdout);
        Assert.False(File.Exists(transport.ControlPathFor(fixture.Host)));
    }

    [Fact]
    public async Task Parallel_commands_on_one_host_share_the_master()
    {
        await using var transport = fixture.Transport();
        var sinks = Enumerable.Range(0, 8).Select(_ => new CollectingSink()).ToArray();

        var exits = await Task.WhenAll(sinks.Select((s, i) => transport.RunAsync(fixture.Host, $"seq 1 {1000 + i}", s, CancellationToken.None)));

        Assert.All(exits, e => Assert.Equal(0, e));
        for (var i = 0; i < sinks.Length; i++) Assert.Equal(1000 + i, sinks[i].Stdout.Count);
    }

    [Fact]
    public async Task A_master_that_died_is_replaced_on_the_next_command()
    {
        await using var transport = fixture.Transport();
        await transport.RunAsync(fixture.Host, "true", new CollectingSink(), CancellationToken.None);
        var first = (await transport.MasterPidAsync(fixture.Host, CancellationToken.None))!.Value;
        using (var master = System.Diagnostics.Process.GetProcessById(first)) master.Kill();
        Assert.True(await LocalProcesses.EventuallyAsync(() => !File.Exists($"/proc/{first}/cmdline") || File.ReadAllText($"/proc/{first}/cmdline").Length == 0));

        var sink = new CollectingSink();
        Assert.Equal(0, await transport.RunAsync(fixture.Host, "echo again", sink, CancellationToken.None));

        Assert.Equal(["again"], sink.Stdout);
        var second = await transport.MasterPidAsync(fixture.Host, CancellationToken.None);
        Assert.NotNull(second);
        Assert.NotEqual(first, second);
    }
}
