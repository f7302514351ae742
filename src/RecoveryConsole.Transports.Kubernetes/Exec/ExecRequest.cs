using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Transports.Kubernetes.Exec;

/// <summary>A command to run in a pod's container (<c>oc exec -n NS POD -c CONTAINER -- COMMAND...</c>); no shell unless the command is one.</summary>
public sealed record ExecRequest(string Namespace, string Pod, IReadOnlyList<string> Command)
{
    /// <summary>Required when the pod has more than one container (the server says which ones exist).</summary>
    public string? Container { get; init; }

    public override string ToString() => $"{Namespace}/{Pod}{(Container is null ? "" : $" [{Container}]")}: {string.Join(' ', Command)}";
}

/// <summary>Raw streams for an exec: stdin to send (closed at its end under v5), stdout as bytes (binary-safe), stderr as lines.</summary>
public sealed record ExecStreams(Stream? Stdin = null, Stream? Stdout = null, IOutputSink? Stderr = null);

/// <summary>The exit code, and the channel protocol the server agreed to (v5 can close stdin, v4 cannot).</summary>
public sealed record ExecResult(int ExitCode, string Protocol);

/// <summary>
/// The exec did not produce an exit code: the runtime could not start the command, or the stream ended without a
/// status. Distinct from a non-zero exit: nobody can say whether the command ran, so nothing may assume it did or did not.
/// </summary>
public sealed class KubernetesExecException(string message, Exception? inner = null) : Exception(message, inner);
