using System.Threading.Channels;

namespace RecoveryConsole.Lab.Shell;

/// <summary>
/// Connects two pipeline stages. Bounded so a fast producer (seq 1 1000000) waits for its consumer
/// instead of buffering everything; closing the read end makes further writes fail like SIGPIPE,
/// so <c>seq 1 1000000 | head -n 3</c> ends as soon as head has its lines.
/// </summary>
internal sealed class ShellPipe
{
    private const int Capacity = 1024;
    private readonly Channel<string> _channel = Channel.CreateBounded<string>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.Wait });

    public ShellPipe()
    {
        Writer = new PipeWriter(_channel.Writer);
        Reader = new PipeReader(_channel.Reader);
    }

    public ShellWriter Writer { get; }
    public ShellInput Reader { get; }

    /// <summary>The writing stage has ended: the reader sees end of input after the buffered lines.</summary>
    public void CompleteWriting() => _channel.Writer.TryComplete();

    /// <summary>The reading stage has ended: pending and later writes fail with <see cref="BrokenPipeException"/>.</summary>
    public void CloseReading() => _channel.Writer.TryComplete();

    private sealed class PipeWriter(ChannelWriter<string> writer) : ShellWriter
    {
        protected override ValueTask EmitAsync(string line, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return writer.TryWrite(line) ? default : WaitAndWriteAsync(line, cancellationToken);
        }

        private async ValueTask WaitAndWriteAsync(string line, CancellationToken cancellationToken)
        {
            try
            {
                await writer.WriteAsync(line, cancellationToken).ConfigureAwait(false);
            }
            catch (ChannelClosedException)
            {
                throw new BrokenPipeException();
            }
        }
    }

    private sealed class PipeReader(ChannelReader<string> reader) : ShellInput
    {
        public override IAsyncEnumerable<string> ReadLinesAsync(CancellationToken cancellationToken) =>
            reader.ReadAllAsync(cancellationToken);
    }
}
