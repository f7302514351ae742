namespace RecoveryConsole.Orchestration.Transports;

/// <summary>
/// A command made ready on its host but not begun: connected, logged in, the remote shell waiting for one signal.
/// <c>mode: together</c> arms every host first and fires them all at once, so "start the restore on all masters within
/// a short period" costs one write per host, not a login and a session each. Disposing a command never fired disarms
/// it: nothing runs on the host.
/// </summary>
public interface IArmedCommand : IAsyncDisposable
{
    /// <summary>
    /// Begins the command now (returns at once) and gives its exit code as <see cref="IHostTransport.RunAsync"/> would,
    /// with the same failures. Called at most once.
    /// </summary>
    Task<int> Fire();
}

/// <summary>A transport that can hold a command ready on its host, to be begun by <see cref="IArmedCommand.Fire"/>.</summary>
public interface IArmableHostTransport : IHostTransport
{
    /// <summary>
    /// Makes <paramref name="command"/> ready on <paramref name="host"/>: returns once only the signal is missing.
    /// Failures to reach the host throw <see cref="HostUnreachableException"/>, with nothing run. Cancelling
    /// <paramref name="cancellationToken"/> later stops the command as for <see cref="IHostTransport.RunAsync"/>.
    /// </summary>
    Task<IArmedCommand> ArmAsync(HostInfo host, string command, IOutputSink output, CancellationToken cancellationToken);
}

public static class HostTransportArming
{
    /// <summary>
    /// The transport's own arming when it has one; otherwise a command that only calls <see cref="IHostTransport.RunAsync"/>
    /// when fired (an in-process lab host has nothing to set up).
    /// </summary>
    public static Task<IArmedCommand> ArmAsync(this IHostTransport transport, HostInfo host, string command, IOutputSink output, CancellationToken cancellationToken) =>
        transport is IArmableHostTransport armable
            ? armable.ArmAsync(host, command, output, cancellationToken)
            : Task.FromResult<IArmedCommand>(new Deferred(() => transport.RunAsync(host, command, output, cancellationToken)));

    private sealed class Deferred(Func<Task<int>> run) : IArmedCommand
    {
        private int _fired;

        public Task<int> Fire() => Interlocked.Exchange(ref _fired, 1) == 0
            ? run()
            : throw new InvalidOperationException("The command was fired already.");

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
