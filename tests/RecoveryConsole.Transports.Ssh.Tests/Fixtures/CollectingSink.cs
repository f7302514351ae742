using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Transports.Ssh.Tests.Fixtures;

/// <summary>Keeps every line, and can signal when a given line arrives (to act while a command is still running).</summary>
public sealed class CollectingSink : IOutputSink
{
    private readonly List<(OutputStream Stream, string Text)> _lines = [];
    private readonly List<(string Text, TaskCompletionSource Seen)> _awaited = [];

    public void Line(OutputStream stream, string text)
    {
        lock (_lines)
        {
            _lines.Add((stream, text));
            foreach (var (awaited, seen) in _awaited)
                if (text == awaited) seen.TrySetResult();
        }
    }

    public IReadOnlyList<string> Stdout => Of(OutputStream.Stdout);
    public IReadOnlyList<string> Stderr => Of(OutputStream.Stderr);
    public IReadOnlyList<string> System => Of(OutputStream.System);

    /// <summary>Completes when <paramref name="text"/> has arrived (at once if it already has).</summary>
    public Task Seen(string text)
    {
        lock (_lines)
        {
            var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_lines.Any(l => l.Text == text)) seen.SetResult();
            else _awaited.Add((text, seen));
            return seen.Task;
        }
    }

    private List<string> Of(OutputStream stream)
    {
        lock (_lines) return _lines.Where(l => l.Stream == stream).Select(l => l.Text).ToList();
    }
}
