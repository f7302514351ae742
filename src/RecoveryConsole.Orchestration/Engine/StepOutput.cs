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
    private readonly Lock _gate = new();

    public string StepPath => stepPath;
    public string Host => host;
    public bool Truncated { get; private set; }
    public int StdoutLines { get; private set; }

    public string Stdout
    {
        get { lock (_gate) return _stdout.ToString(); }
    }

    public void Line(OutputStream stream, string text)
    {
        feed.Append(runId, stepPath, host, stream, text);
        if (stream != OutputStream.Stdout) return;
        lock (_gate)
        {
            StdoutLines++;
            if (_stdout.Length + text.Length + 1 > CaptureLimit) { Truncated = true; return; }
            _stdout.Append(text).Append('\n');
        }
    }

    public void System(string text) => feed.Append(runId, stepPath, host, OutputStream.System, text);
}
