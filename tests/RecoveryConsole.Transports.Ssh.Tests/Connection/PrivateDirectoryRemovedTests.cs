using Microsoft.Extensions.Logging;
using RecoveryConsole.Transports.Ssh.Tests.Fixtures;

namespace RecoveryConsole.Transports.Ssh.Tests.Connection;

[Collection(SshCollection.Name)]
[Trait("Category", "Ssh")]
public sealed class PrivateDirectoryRemovedTests(SshFixture fixture)
{
    [Fact]
    [Trait("Category", "Security")]
    public async Task A_removed_private_directory_is_made_again_and_the_next_command_works_and_says_so()
    {
        var log = new ListLogger();
        await using var transport = new SshHostTransport(fixture.Profile(), fixture.Settings, fixture.Keys, log);
        Assert.Equal(0, await transport.RunAsync(fixture.Host, "echo one", new CollectingSink(), CancellationToken.None));
        var directory = transport.RuntimeDirectory;

        Directory.Delete(directory, recursive: true); // a /tmp cleaner, or an operator tidying up

        var second = new CollectingSink();
        Assert.Equal(0, await transport.RunAsync(fixture.Host, "echo two", second, CancellationToken.None));
        Assert.Equal(["two"], second.Stdout);
        var said = Assert.Single(second.System, l => l.Contains("had been removed", StringComparison.Ordinal));
        Assert.Contains("made again", said);
        Assert.Contains($"key '{SshFixture.KeyId}' re-written", said);
        Assert.Contains(log.Lines, l => l.Level == LogLevel.Warning && l.Text == said);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(directory));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(transport.IdentityFile!));

        var third = new CollectingSink();
        Assert.Equal(0, await transport.RunAsync(fixture.Host, "echo three", third, CancellationToken.None));
        Assert.DoesNotContain(third.System, l => l.Contains("had been removed", StringComparison.Ordinal));
    }

    private sealed class ListLogger : ILogger<SshHostTransport>
    {
        private readonly List<(LogLevel Level, string Text)> _lines = [];

        public IReadOnlyList<(LogLevel Level, string Text)> Lines
        {
            get { lock (_lines) return _lines.ToList(); }
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_lines) _lines.Add((logLevel, formatter(state, exception)));
        }
    }
}
