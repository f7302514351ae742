using System.Runtime.CompilerServices;
using System.Threading.Channels;
using RecoveryConsole.Orchestration.Runs;

namespace RecoveryConsole.Orchestration.Engine;

/// <summary>
/// Watching every run at once (notifications, the "waiting for you" list, the live history): each watcher gets every run
/// change as viewers of that run get it (after the lines before it are stored), never its lines. A view is a whole snapshot,
/// so a watcher that falls behind loses only intermediate views: its channel keeps the newest <see cref="WatcherBacklog"/>.
/// </summary>
public sealed partial class RunFeed
{
    public const int WatcherBacklog = 1_000;

    private readonly Lock _watchersLock = new();
    private Channel<RunView>[] _watchers = [];

    /// <summary>Every run change from now on, until <paramref name="cancellationToken"/> ends the watch.</summary>
    public async IAsyncEnumerable<RunView> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<RunView>(new BoundedChannelOptions(WatcherBacklog)
        {
            FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true,
        });
        lock (_watchersLock) _watchers = [.. _watchers, channel];
        try
        {
            await foreach (var view in channel.Reader.ReadAllAsync(cancellationToken)) yield return view;
        }
        finally
        {
            lock (_watchersLock) _watchers = [.. _watchers.Where(w => w != channel)];
        }
    }

    private void TellWatchers(RunView view)
    {
        // Copy-on-write array: the run's lock is held here, so no watcher may ever make this wait.
        foreach (var watcher in Volatile.Read(ref _watchers)) watcher.Writer.TryWrite(view);
    }
}
