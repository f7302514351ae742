using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Transports.Kubernetes.Exec;

/// <summary>Keeps the lines of a short command (sha256sum, test) to read its answer.</summary>
internal sealed class CapturingSink(IOutputSink? forward = null) : IOutputSink
{
    private readonly List<(OutputStream Stream, string Text)> _lines = [];

    public IEnumerable<string> Stdout => Lines(OutputStream.Stdout);
    public IEnumerable<string> Stderr => Lines(OutputStream.Stderr);

    public void Line(OutputStream stream, string text)
    {
        lock (_lines) _lines.Add((stream, text));
        forward?.Line(stream, text);
    }

    private List<string> Lines(OutputStream stream)
    {
        lock (_lines) return _lines.Where(l => l.Stream == stream).Select(l => l.Text).ToList();
    }
}
