using System.Text;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Transports.Kubernetes.Exec;

/// <summary>
/// Turns one channel's bytes into lines for an <see cref="IOutputSink"/>: UTF-8 decoded across frame boundaries,
/// "\r\n" and "\n" both end a line, a very long line is cut rather than held forever, and the last partial line is
/// flushed at the end.
/// </summary>
internal sealed class LineSplitter(IOutputSink sink, OutputStream stream)
{
    private const int MaxLine = 64 * 1024;

    private readonly Decoder _decoder = new UTF8Encoding(false, false).GetDecoder();
    private readonly StringBuilder _line = new();

    public void Write(ReadOnlySpan<byte> bytes)
    {
        var chars = new char[_decoder.GetCharCount(bytes, flush: false)];
        var count = _decoder.GetChars(bytes, chars, flush: false);
        foreach (var c in chars.AsSpan(0, count))
        {
            if (c == '\n')
            {
                Emit();
                continue;
            }
            _line.Append(c);
            if (_line.Length >= MaxLine) Emit();
        }
    }

    public void Flush()
    {
        var chars = new char[_decoder.GetCharCount([], flush: true)];
        _decoder.GetChars([], chars, flush: true);
        _line.Append(chars);
        if (_line.Length > 0) Emit();
    }

    private void Emit()
    {
        if (_line.Length > 0 && _line[^1] == '\r') _line.Length--;
        sink.Line(stream, _line.ToString());
        _line.Clear();
    }
}
