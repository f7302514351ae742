using System.IO.Pipelines;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using RecoveryConsole.Lab.Api;

namespace RecoveryConsole.Lab.ApiServer;

/// <summary>
/// The server side of one exec over the Kubernetes channel protocol (v4 or v5): every binary message starts with a
/// channel byte (0 stdin, 1 stdout, 2 stderr, 3 status, 4 resize); v5 adds <c>[255, channel]</c> to close a stream.
/// The exit status goes out on channel 3 as a Status object, then the server closes the socket.
/// </summary>
internal sealed class LabExecSession(WebSocket socket, bool v5) : IDisposable
{
    private const byte StdinChannel = 0;
    private const byte StdoutChannel = 1;
    private const byte StderrChannel = 2;
    private const byte StatusChannel = 3;
    private const byte CloseSignal = 255;
    private const int MaxFrame = 32 * 1024;

    private readonly SemaphoreSlim _sending = new(1, 1);
    private volatile bool _finished;

    public async Task RunAsync(LabExecHandler handler, LabExecRequest request, CancellationToken aborted)
    {
        var stdin = new Pipe();
        if (!request.Stdin) await stdin.Writer.CompleteAsync().ConfigureAwait(false);
        using var hangup = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        var receiving = ReceiveAsync(request.Stdin ? stdin.Writer : null, hangup);

        int code = 0;
        string? failure = null;
        try
        {
            var streams = new LabExecStreams(stdin.Reader.AsStream(), new FrameStream(this, StdoutChannel), new FrameStream(this, StderrChannel));
            code = await handler(request, streams, hangup.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (hangup.IsCancellationRequested)
        {
            return; // the client hung up: nobody is left to tell
        }
        catch (Exception e)
        {
            failure = e.Message; // a runtime failure (node unreachable, ...), not an exit code
        }
        finally
        {
            _finished = true;
            await stdin.Reader.CompleteAsync().ConfigureAwait(false);
        }

        await SendAsync(StatusChannel, System.Text.Encoding.UTF8.GetBytes(Status(code, failure, request).ToJsonString()), aborted).ConfigureAwait(false);
        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, aborted).ConfigureAwait(false);
        try
        {
            // Let the client answer the close so the handshake completes; a client that never does is not waited for long.
            await receiving.WaitAsync(TimeSpan.FromSeconds(5), aborted).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
        }
    }

    public void Dispose() => _sending.Dispose();

    private static JsonObject Status(int code, string? failure, LabExecRequest request)
    {
        if (failure is not null)
        {
            return new JsonObject
            {
                ["metadata"] = new JsonObject(), ["status"] = "Failure", ["message"] = failure, ["reason"] = "InternalError",
                ["details"] = new JsonObject { ["causes"] = new JsonArray(new JsonObject { ["message"] = failure }) },
            };
        }
        if (code == 0) return new JsonObject { ["metadata"] = new JsonObject(), ["status"] = "Success" };
        return new JsonObject
        {
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = $"command terminated with non-zero exit code: error executing command [{string.Join(' ', request.Command)}], exit code {code}",
            ["reason"] = "NonZeroExitCode",
            ["details"] = new JsonObject
            {
                ["causes"] = new JsonArray(new JsonObject { ["reason"] = "ExitCode", ["message"] = code.ToString(System.Globalization.CultureInfo.InvariantCulture) }),
            },
        };
    }

    private async Task ReceiveAsync(PipeWriter? stdin, CancellationTokenSource hangup)
    {
        var buffer = new byte[64 * 1024];
        var channel = -1; // the channel of the message being received; only its first fragment carries the byte
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, CancellationToken.None).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    // A client closing while the command runs has hung up (v4 has no other way to stop it).
                    if (!_finished) await hangup.CancelAsync().ConfigureAwait(false);
                    return;
                }
                var data = buffer.AsMemory(0, result.Count);
                if (channel < 0 && data.Length > 0)
                {
                    channel = data.Span[0];
                    data = data[1..];
                }
                if (channel == StdinChannel && stdin is not null && data.Length > 0)
                {
                    await stdin.WriteAsync(data).ConfigureAwait(false);
                }
                else if (channel == CloseSignal && v5 && data.Length > 0 && data.Span[0] == StdinChannel && stdin is not null)
                {
                    await stdin.CompleteAsync().ConfigureAwait(false);
                    stdin = null;
                }
                if (result.EndOfMessage) channel = -1;
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or InvalidOperationException)
        {
            if (!_finished) await hangup.CancelAsync().ConfigureAwait(false);
        }
        finally
        {
            if (stdin is not null) await stdin.CompleteAsync().ConfigureAwait(false);
        }
    }

    private async Task SendAsync(byte channel, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        await _sending.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            do
            {
                var chunk = data[..Math.Min(data.Length, MaxFrame)];
                var frame = new byte[chunk.Length + 1];
                frame[0] = channel;
                chunk.CopyTo(frame.AsMemory(1));
                await socket.SendAsync(frame, WebSocketMessageType.Binary, true, cancellationToken).ConfigureAwait(false);
                data = data[chunk.Length..];
            }
            while (data.Length > 0);
        }
        finally
        {
            _sending.Release();
        }
    }

    /// <summary>A write-only stream whose writes become frames of one channel.</summary>
    private sealed class FrameStream(LabExecSession session, byte channel) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            buffer.IsEmpty ? ValueTask.CompletedTask : new ValueTask(session.SendAsync(channel, buffer, cancellationToken));

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
