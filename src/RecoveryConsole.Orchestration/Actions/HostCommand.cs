using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Actions;

/// <summary>A command an action sends to a host itself: shown in the transcript like a step's, and its output kept to decide on.</summary>
internal static class HostCommand
{
    public sealed record Result(int ExitCode, IReadOnlyList<string> Stdout, IReadOnlyList<string> Stderr);

    public static async Task<Result> RunAsync(ActionContext context, HostInfo host, string command, CancellationToken cancellationToken)
    {
        var hosts = context.Hosts ?? throw new StepFailedException($"The cluster {context.Cluster?.Name} has no host transport.");
        var sink = new Capture(context.Output);
        context.Output.Line(OutputStream.System, $"$ {command}  (on {host.Name})");
        var exit = await hosts.RunAsync(host, command, sink, cancellationToken);
        return new Result(exit, sink.Stdout, sink.Stderr);
    }

    private sealed class Capture(IOutputSink forward) : IOutputSink
    {
        public List<string> Stdout { get; } = [];
        public List<string> Stderr { get; } = [];

        public void Line(OutputStream stream, string text)
        {
            lock (this) (stream == OutputStream.Stderr ? Stderr : Stdout).Add(text);
            forward.Line(stream, text);
        }
    }
}
