namespace RecoveryConsole.Lab.Api;

/// <summary>A validated <c>pods/exec</c> request: the pod exists, the container is one of its own, the command is not empty.</summary>
public sealed record LabExecRequest(string Namespace, string Pod, string Container, IReadOnlyList<string> Command, string? NodeName, bool Stdin)
{
    public override string ToString() => $"{Namespace}/{Pod} [{Container}]: {string.Join(' ', Command)}";
}

/// <summary>
/// The process's standard streams. Stdin ends when the client closes it (v5 channel protocol) or hangs up;
/// writes to Stdout and Stderr reach the client as channel frames.
/// </summary>
public sealed record LabExecStreams(Stream Stdin, Stream Stdout, Stream Stderr);

/// <summary>Runs an exec'd command in a simulated container and returns its exit code; an exception is a runtime failure.</summary>
public delegate Task<int> LabExecHandler(LabExecRequest request, LabExecStreams streams, CancellationToken cancellationToken);
