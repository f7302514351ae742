using System.Buffers;
using System.Text;

namespace RecoveryConsole.Transports.Ssh.Processes;

/// <summary>
/// Splits a byte stream into UTF-8 lines as they arrive. Splitting on the byte 0x0A is safe because it never occurs
/// inside a multi-byte UTF-8 sequence; invalid bytes become U+FFFD. A final line without a newline still counts.
/// </summary>
internal static class Utf8Lines
{
    /// <summary>A longer line is delivered in pieces of at most this size so one runaway line cannot exhaust memory.</summary>
    public const int MaxLineBytes = 1024 * 1024;

    private const int ChunkSize = 64 * 1024;

    public static async Task ReadAsync(Stream stream, Action<string> onLine, CancellationToken cancellationToken = default)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        var pending = new ArrayBufferWriter<byte>(ChunkSize);
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(0, ChunkSize), cancellationToken).ConfigureAwait(false)) > 0)
            {
                var span = buffer.AsSpan(0, read);
                int newline;
                while ((newline = span.IndexOf((byte)'\n')) >= 0)
                {
                    if (pending.WrittenCount == 0)
                        onLine(Decode(span[..newline]));
                    else
                    {
                        pending.Write(span[..newline]);
                        onLine(Decode(pending.WrittenSpan));
                        pending.ResetWrittenCount();
                    }
                    span = span[(newline + 1)..];
                }
                pending.Write(span);
                while (pending.WrittenCount > MaxLineBytes)
                    CutLongLine(pending, onLine);
            }
            if (pending.WrittenCount > 0) onLine(Decode(pending.WrittenSpan));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Delivers the first <see cref="MaxLineBytes"/> (backed up to a character boundary) and keeps the rest.</summary>
    private static void CutLongLine(ArrayBufferWriter<byte> pending, Action<string> onLine)
    {
        var bytes = pending.WrittenSpan;
        var cut = MaxLineBytes;
        while (cut > 0 && (bytes[cut] & 0xC0) == 0x80) cut--; // never split a multi-byte character
        onLine(Encoding.UTF8.GetString(bytes[..cut]));
        var rest = bytes[cut..].ToArray();
        pending.ResetWrittenCount();
        pending.Write(rest);
    }

    private static string Decode(ReadOnlySpan<byte> line)
    {
        if (line.Length > 0 && line[^1] == (byte)'\r') line = line[..^1]; // CRLF output reads like LF output
        return Encoding.UTF8.GetString(line);
    }
}
