using System.Text;
using System.Threading.Channels;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Procedures.Rendering;

namespace RecoveryConsole.Lab.Api;

/// <summary>Ready-made exec hooks for <see cref="LabKubernetesApi.ExecHandler"/>.</summary>
public static class LabExecHandlers
{
    /// <summary>126 ("cannot execute"): the lab simulates no process for this pod, and says so rather than pretend.</summary>
    public static async Task<int> NoProcess(LabExecRequest request, LabExecStreams streams, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(streams);
        var text = $"lab: no simulated process can run in pod {request.Namespace}/{request.Pod} (container {request.Container}): {string.Join(' ', request.Command)}\n";
        await streams.Stderr.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken).ConfigureAwait(false);
        return 126;
    }

    /// <summary>
    /// Runs the command through the lab shell of the host the pod is scheduled on (spec.nodeName), as a static pod
    /// sees its node's files. <c>sh -c SCRIPT</c> runs SCRIPT; other commands are quoted word by word. Stdin is not read.
    /// </summary>
    public static LabExecHandler NodeShell(IHostTransport hosts, Func<string, HostInfo?> findHost)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        ArgumentNullException.ThrowIfNull(findHost);
        return async (request, streams, cancellationToken) =>
        {
            var host = request.NodeName is null ? null : findHost(request.NodeName);
            if (host is null) return await NoProcess(request, streams, cancellationToken).ConfigureAwait(false);

            var script = request.Command is [("sh" or "bash" or "/bin/sh" or "/bin/bash"), "-c", var body, ..]
                ? body
                : string.Join(' ', request.Command.Select(ShellQuote.Quote));
            var output = new StreamSink();
            var pump = output.PumpAsync(streams, cancellationToken);
            int code;
            try
            {
                code = await hosts.RunAsync(host, script, output, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                output.Complete();
                await pump.ConfigureAwait(false);
            }
            return code;
        };
    }

    /// <summary>Lines from the shell, written to the exec streams in order off the shell's thread (sinks must not block).</summary>
    private sealed class StreamSink : IOutputSink
    {
        private readonly Channel<(OutputStream Stream, string Text)> _lines = Channel.CreateUnbounded<(OutputStream, string)>();

        public void Line(OutputStream stream, string text) => _lines.Writer.TryWrite((stream, text));

        public void Complete() => _lines.Writer.TryComplete();

        public async Task PumpAsync(LabExecStreams streams, CancellationToken cancellationToken)
        {
            await foreach (var (stream, text) in _lines.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                var target = stream == OutputStream.Stdout ? streams.Stdout : streams.Stderr;
                await target.WriteAsync(Encoding.UTF8.GetBytes(text + "\n"), cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
