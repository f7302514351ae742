using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Lab.Shell;

/// <summary>
/// Where a command writes. Output is line-oriented because sinks take lines; text without a trailing
/// newline waits for more, so <c>printf a; printf 'b\n'</c> gives the single line "ab" as in a real shell.
/// </summary>
public abstract class ShellWriter
{
    private readonly object _gate = new();
    private string _pending = "";

    /// <summary>Writes <paramref name="line"/> followed by a newline.</summary>
    public virtual ValueTask WriteLineAsync(string line, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_pending.Length == 0 && !line.Contains('\n')) return EmitAsync(line, cancellationToken);
        }
        return WriteAsync(line + "\n", cancellationToken);
    }

    /// <summary>Writes raw text; every complete line in it is passed on.</summary>
    public virtual async ValueTask WriteAsync(string text, CancellationToken cancellationToken)
    {
        List<string>? lines = null;
        lock (_gate)
        {
            var start = 0;
            int newline;
            while ((newline = text.IndexOf('\n', start)) >= 0)
            {
                var segment = text[start..newline];
                if (_pending.Length > 0)
                {
                    segment = _pending + segment;
                    _pending = "";
                }
                (lines ??= []).Add(segment);
                start = newline + 1;
            }
            if (start < text.Length) _pending += text[start..];
        }
        if (lines is null) return;
        foreach (var line in lines) await EmitAsync(line, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Passes on an unfinished last line, as happens when the writing process ends.</summary>
    public virtual ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        string pending;
        lock (_gate)
        {
            pending = _pending;
            _pending = "";
        }
        return pending.Length > 0 ? EmitAsync(pending, cancellationToken) : default;
    }

    /// <summary>Passes on one complete line (without its newline).</summary>
    protected abstract ValueTask EmitAsync(string line, CancellationToken cancellationToken);

    /// <summary>/dev/null.</summary>
    public static ShellWriter Null { get; } = new NullWriter();

    private sealed class NullWriter : ShellWriter
    {
        public override ValueTask WriteLineAsync(string line, CancellationToken cancellationToken) => default;
        public override ValueTask WriteAsync(string text, CancellationToken cancellationToken) => default;
        protected override ValueTask EmitAsync(string line, CancellationToken cancellationToken) => default;
    }
}

/// <summary>
/// Serialises lines from concurrently running pipeline stages into one <see cref="IOutputSink"/>,
/// which is not required to be thread-safe.
/// </summary>
internal sealed class SinkOutput(IOutputSink sink)
{
    private readonly object _gate = new();

    public void Line(OutputStream stream, string text)
    {
        lock (_gate) sink.Line(stream, text);
    }
}

/// <summary>One stream (stdout or stderr) of the transport's sink.</summary>
internal sealed class SinkWriter(SinkOutput output, OutputStream stream) : ShellWriter
{
    // Checking the token here makes every command's output stop promptly on cancel, whatever the command.
    private const int CancellationCheckInterval = 256;
    private int _count;

    protected override ValueTask EmitAsync(string line, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _count) % CancellationCheckInterval == 0)
            cancellationToken.ThrowIfCancellationRequested();
        output.Line(stream, line);
        return default;
    }
}
