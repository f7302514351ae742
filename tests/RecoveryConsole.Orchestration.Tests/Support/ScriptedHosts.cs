using System.Collections.Concurrent;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Tests.Support;

/// <summary>One command the engine sent.</summary>
public sealed record SentCommand(string Host, string Command);

/// <summary>
/// A host transport whose answers the test scripts: the engine is the unit under test here, so the test decides
/// what each command prints, how long it takes and what it exits with, and sees every command sent.
/// End-to-end tests use the lab's transport instead.
/// </summary>
public sealed class ScriptedHosts : IHostTransport
{
    public delegate Task<int> Behaviour(HostInfo host, string command, IOutputSink output, CancellationToken cancellationToken);

    private readonly List<(Func<string, bool> Matches, Behaviour Behaviour)> _rules = [];
    public ConcurrentQueue<SentCommand> Sent { get; } = new();
    /// <summary>The engine's preflight probes of every target host (`sudo -n true`), kept apart from the steps' commands.</summary>
    public ConcurrentQueue<SentCommand> Probes { get; } = new();
    public ConcurrentQueue<SentCommand> Cancelled { get; } = new();
    public HashSet<string> Unreachable { get; } = [];

    /// <summary>Commands containing <paramref name="fragment"/> behave as given (the last rule added wins).</summary>
    public ScriptedHosts When(string fragment, Behaviour behaviour)
    {
        _rules.Insert(0, (c => c.Contains(fragment, StringComparison.Ordinal), behaviour));
        return this;
    }

    public ScriptedHosts When(string fragment, int exit, params string[] stdout) =>
        When(fragment, (_, _, o, _) =>
        {
            foreach (var line in stdout) o.Line(OutputStream.Stdout, line);
            return Task.FromResult(exit);
        });

    public IEnumerable<string> CommandsOn(string host) => Sent.Where(s => s.Host == host).Select(s => s.Command);

    public int Count(string fragment) => Sent.Count(s => s.Command.Contains(fragment, StringComparison.Ordinal));

    public async Task<int> RunAsync(HostInfo host, string command, IOutputSink output, CancellationToken cancellationToken)
    {
        if (Unreachable.Contains(host.Name)) throw new HostUnreachableException(host.Name, "connection refused on port 22");
        if (command == "sudo -n true" && !_rules.Any(r => r.Matches(command)))
        {
            Probes.Enqueue(new SentCommand(host.Name, command));
            return 0;
        }
        Sent.Enqueue(new SentCommand(host.Name, command));
        var rule = _rules.FirstOrDefault(r => r.Matches(command));
        try
        {
            if (rule.Behaviour is not null) return await rule.Behaviour(host, command, output, cancellationToken);
            output.Line(OutputStream.Stdout, $"ran on {host.Name}");
            return 0;
        }
        catch (OperationCanceledException)
        {
            Cancelled.Enqueue(new SentCommand(host.Name, command));
            throw;
        }
    }

    /// <summary>A command that runs until cancelled.</summary>
    public static Behaviour Hang => async (_, _, o, ct) =>
    {
        o.Line(OutputStream.Stdout, "started");
        await Task.Delay(Timeout.Infinite, ct);
        return 0;
    };
}
