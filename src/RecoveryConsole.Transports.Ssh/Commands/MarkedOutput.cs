using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Transports.Ssh.Commands;

/// <summary>
/// Sits between ssh's two output pipes and the caller's sink: takes the wrapper's markers out of stdout, holds stderr
/// back until the command has started (before that it is ssh's own diagnostics, which become the failure's reason),
/// and calls the sink from one thread at a time so the sink never sees two lines at once.
/// </summary>
internal sealed class MarkedOutput(IOutputSink sink, CommandMarkers markers)
{
    /// <summary>ssh prints a few lines when it fails; more than this before the start marker is a talkative login shell.</summary>
    private const int MaxEarlyStderr = 200;

    private readonly Lock _gate = new();
    private readonly List<string> _earlyStderr = [];
    private readonly TaskCompletionSource<int> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _armed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string? _heldExit;
    private int? _processGroup;
    private string? _lastStderr;

    /// <summary>Completes with the process group once the remote command started.</summary>
    public Task<int> Started => _started.Task;

    /// <summary>Completes when an armed command's remote shell waits for the signal (<see cref="CommandMarkers.WrapArmed"/>).</summary>
    public Task Armed => _armed.Task;

    public int? ProcessGroup { get { lock (_gate) return _processGroup; } }

    public string? LastStderr { get { lock (_gate) return _lastStderr; } }

    public IReadOnlyList<string> EarlyStderr { get { lock (_gate) return _earlyStderr.ToArray(); } }

    public void Stdout(string line)
    {
        lock (_gate)
        {
            if (_processGroup is null && !_armed.Task.IsCompleted && markers.IsArmed(line))
            {
                _armed.TrySetResult();
                return;
            }
            if (_processGroup is null && markers.TryParseStart(line, out var group))
            {
                _processGroup = group;
                foreach (var held in _earlyStderr) sink.Line(OutputStream.Stderr, held); // the login shell's own noise, now in order
                _earlyStderr.Clear();
                _started.TrySetResult(group);
                return;
            }
            // A marker-looking line followed by more output was not the wrapper's last line: it is ordinary output.
            if (_heldExit is not null)
            {
                sink.Line(OutputStream.Stdout, _heldExit);
                _heldExit = null;
            }
            if (_processGroup is not null && markers.MayEndWithExit(line))
            {
                _heldExit = line;
                return;
            }
            sink.Line(OutputStream.Stdout, line);
        }
    }

    public void Stderr(string line)
    {
        lock (_gate)
        {
            _lastStderr = line;
            if (_processGroup is null && _earlyStderr.Count < MaxEarlyStderr)
            {
                _earlyStderr.Add(line);
                return;
            }
            sink.Line(OutputStream.Stderr, line);
        }
    }

    /// <summary>Called once both pipes ended: returns the command's exit status if the wrapper reported it.</summary>
    public int? Finish()
    {
        lock (_gate)
        {
            _started.TrySetCanceled();
            _armed.TrySetCanceled();
            if (_heldExit is null) return null;
            var line = _heldExit;
            _heldExit = null;
            if (!markers.TryParseExit(line, out var prefix, out var exitCode))
            {
                sink.Line(OutputStream.Stdout, line);
                return null;
            }
            if (prefix.Length > 0) sink.Line(OutputStream.Stdout, prefix); // the command's last line had no newline
            return exitCode;
        }
    }
}
