using System.Text;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Engine;

/// <summary>
/// The sink a transport writes one command's output to: each line goes to the run's fan-out (stamped, redacted)
/// and stdout is kept, up to a limit, for the step's expectation.
/// </summary>
internal sealed class StepOutput(RunFeed feed, Guid runId, string stepPath, string host) : IOutputSink
{
    /// <summary>Expectations look at most this much stdout; a step printing more is judged on its head (and the flag says so).</summary>
    public const int CaptureLimit = 4 * 1024 * 1024;

    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Lock _gate = new();

    public string StepPath => stepPath;
    public string Host => host;
    public bool Truncated { get; private set; }
    public int StdoutLines { get; private set; }

    public string Stdout
    {
        get { lock (_gate) return _stdout.ToString(); }
    }

    /// <summary>What the command printed to stderr, for expectations with <c>stream: stderr|both</c>.</summary>
    public string Stderr
    {
        get { lock (_gate) return _stderr.ToString(); }
    }

    /// <summary>A new command (a retry's next attempt) is judged on its own output, not on what failed before it.</summary>
    public void BeginCommand()
    {
        lock (_gate)
        {
            _stdout.Clear();
            _stderr.Clear();
            StdoutLines = 0;
            Truncated = false;
        }
    }

    /// <summary>Lines a quiet output holds back (a wait's repeated checks) until <see cref="Replay"/>; the newest only.</summary>
    private Queue<(OutputStream Stream, string Text)>? _held;
    private const int HeldLines = 500;

    /// <summary>
    /// An output that keeps its lines for the expectation and the step's record but does not write them to the transcript
    /// unless <see cref="Replay"/>ed: a wait's 40th identical check adds nothing a reader needs.
    /// </summary>
    public static StepOutput Quiet(RunFeed feed, Guid runId, string stepPath, string host) =>
        new(feed, runId, stepPath, host) { _held = new Queue<(OutputStream, string)>() };

    /// <summary>Writes what a quiet output held (at most its last 500 lines) to the transcript, e.g. the check that decided.</summary>
    public void Replay()
    {
        if (_held is null) return;
        lock (_gate)
        {
            if (_held.Count == HeldLines) feed.Append(runId, stepPath, host, OutputStream.System, "(earlier lines of this check not shown)");
            while (_held.TryDequeue(out var line)) feed.Append(runId, stepPath, host, line.Stream, line.Text);
        }
    }

    public void Line(OutputStream stream, string text)
    {
        if (_held is null) feed.Append(runId, stepPath, host, stream, text);
        else
        {
            lock (_gate)
            {
                if (_held.Count == HeldLines) _held.Dequeue();
                _held.Enqueue((stream, text));
            }
        }
        if (stream is not (OutputStream.Stdout or OutputStream.Stderr)) return;
        lock (_gate)
        {
            var buffer = stream == OutputStream.Stdout ? _stdout : _stderr;
            if (stream == OutputStream.Stdout) StdoutLines++;
            if (_stdout.Length + _stderr.Length + text.Length + 1 > CaptureLimit) { Truncated = true; return; }
            buffer.Append(text).Append('\n');
        }
    }

    public void System(string text)
    {
        if (_held is null) feed.Append(runId, stepPath, host, OutputStream.System, text);
        else Line(OutputStream.System, text);
    }
}
