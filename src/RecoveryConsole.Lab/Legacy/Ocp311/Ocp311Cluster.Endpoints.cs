using RecoveryConsole.Lab.Hosts;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Lab.Legacy.Ocp311;

/// <summary>
/// The kubernetes service endpoints follow the masters' API static pods as the remaining API servers reconcile them:
/// an apiserver.yaml moved out of (or back into) /etc/origin/node/pods starts or stops that master's API server, and
/// its address leaves (or joins) the endpoints without any restart elsewhere (5.2.1.3 step 6 checks exactly that).
/// </summary>
public sealed partial class Ocp311Cluster
{
    private readonly List<(LabFileSystem Files, Action<string> Handler)> _podWatchers = [];

    private void WatchApiStaticPods()
    {
        foreach (var master in Masters)
        {
            Action<string> handler = path =>
            {
                if (path == PodsDirectory || path.StartsWith(PodsDirectory + "/", StringComparison.Ordinal) || path == "/") SyncApi();
            };
            master.FileSystem.Changed += handler;
            _podWatchers.Add((master.FileSystem, handler));
        }
    }

    private void StopWatchingApiStaticPods()
    {
        foreach (var (files, handler) in _podWatchers) files.Changed -= handler;
        _podWatchers.Clear();
    }
}
