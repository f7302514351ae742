using System.Buffers;
using System.Net.WebSockets;
using System.Text;

namespace RecoveryConsole.Transports.Kubernetes.Exec;

/// <summary>
/// The client side of the Kubernetes channel protocol over one WebSocket. Each binary message starts with a channel
/// byte: 0 stdin, 1 stdout, 2 stderr, 3 status (a Status object when the process ends), 4 resize. Under v5 the
/// message <c>[255, 0]</c> closes stdin; v4 has no way to, so a command reading stdin to its end never sees it end.
/// </summary>
internal sealed class ExecSession(ClientWebSocket socket) : IDisposable
{
    public const byte Stdin = 0;
    public const byte Stdout = 1;
    public const byte Stderr = 2;
    public const byte Status = 3;
    public const byte Close = 255;
    private const int Chunk = 32 * 1024;

    private readonly SemaphoreSlim _sending = new(1, 1);

    public string Protocol => socket.SubProtocol ?? "";

    public bool CanCloseStdin => Protocol == KubernetesClientOptions.ChannelV5;

    /// <summary>
    /// Sends <paramref name="stdin"/> (if any) while handing output frames to <paramref name="output"/> (the data is
    /// valid only during the call); returns the
    /// status JSON, or null when the server closed without one.
    /// </summary>
    public async Task<string?> RunAsync(Stream? stdin, Func<byte, ReadOnlyMemory<byte>, ValueTask> output, CancellationToken cancellationToken)
    {
        using var abort = cancellationToken.Register(socket.Abort); // cancelling ends the exchange at once
        var receiving = ReceiveAsync(output);
        if (stdin is not null) await PumpStdinAsync(stdin, receiving, cancellationToken).ConfigureAwait(false);
        try
        {
            return await receiving.ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
    }

    public void Dispose()
    {
        socket.Dispose();
        _sending.Dispose();
    }

    private async Task PumpStdinAsync(Stream stdin, Task receiving, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Chunk + 1);
        try
        {
            while (!receiving.IsCompleted)
            {
                var read = await stdin.ReadAsync(buffer.AsMemory(1, Chunk), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    if (CanCloseStdin) await SendAsync(new byte[] { Close, Stdin }, cancellationToken).ConfigureAwait(false);
                    return;
                }
                buffer[0] = Stdin;
                await SendAsync(buffer.AsMemory(0, read + 1), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (WebSocketException) when (!cancellationToken.IsCancellationRequested)
        {
            // The process ended (and the server closed) before reading all of stdin: its status tells what happened.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task SendAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        await _sending.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await socket.SendAsync(frame, WebSocketMessageType.Binary, true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sending.Release();
        }
    }

    private async Task<string?> ReceiveAsync(Func<byte, ReadOnlyMemory<byte>, ValueTask> output)
    {
        var buffer = new byte[64 * 1024];
        var channel = -1; // only the first fragment of a message carries the channel byte
        var status = new MemoryStream();
        var sawStatus = false;
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                if (socket.State == WebSocketState.CloseReceived)
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).ConfigureAwait(false);
                return sawStatus ? Encoding.UTF8.GetString(status.ToArray()) : null;
            }
            var data = buffer.AsMemory(0, result.Count);
            if (channel < 0 && data.Length > 0)
            {
                channel = data.Span[0];
                data = data[1..];
            }
            switch (channel)
            {
                case Stdout or Stderr when data.Length > 0:
                    await output((byte)channel, data).ConfigureAwait(false); // awaited: a slow consumer slows the stream, nothing is dropped
                    break;
                case Status:
                    sawStatus = true;
                    status.Write(data.Span);
                    break;
            }
            if (result.EndOfMessage) channel = -1;
        }
    }
}
