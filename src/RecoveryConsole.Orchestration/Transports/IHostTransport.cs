namespace RecoveryConsole.Orchestration.Transports;

/// <summary>A host of a cluster as the transports see it.</summary>
public sealed record HostInfo(string Name, string Address, IReadOnlyList<string> Roles)
{
    public bool IsControlPlane => Roles.Contains(HostRoles.ControlPlane);
}

public static class HostRoles
{
    public const string ControlPlane = "control-plane";
    public const string Worker = "worker";
}

public enum OutputStream { Stdout, Stderr, System }

/// <summary>Receives a command's output line by line as it arrives. Must not block for long.</summary>
public interface IOutputSink
{
    void Line(OutputStream stream, string text);
}

/// <summary>Runs shell commands on a cluster's hosts (OpenSSH for real clusters, in-process for the lab).</summary>
public interface IHostTransport
{
    /// <summary>
    /// Runs <paramref name="command"/> (already rendered and quoted) on <paramref name="host"/> and returns its exit code.
    /// Cancelling <paramref name="cancellationToken"/> must stop the remote command, not only the local side.
    /// Failures to reach the host throw <see cref="HostUnreachableException"/>.
    /// </summary>
    Task<int> RunAsync(HostInfo host, string command, IOutputSink output, CancellationToken cancellationToken);
}

/// <summary>The host could not be reached or refused the login: nothing ran there.</summary>
public sealed class HostUnreachableException(string host, string reason, Exception? inner = null)
    : Exception($"Host {host} could not be reached: {reason}", inner)
{
    public string Host { get; } = host;
    public string Reason { get; } = reason;
}
