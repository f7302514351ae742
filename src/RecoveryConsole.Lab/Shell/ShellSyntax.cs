namespace RecoveryConsole.Lab.Shell;

// The parsed form of a command line. Only what disaster-recovery procedures use is modelled:
// lists joined by ; && ||, pipelines, and redirections of stdout/stderr/stdin.

internal enum Connector { Always, And, Or }

internal sealed record ShellScript(IReadOnlyList<ShellListItem> Items);

/// <summary>A pipeline and how it depends on the status of the one before it.</summary>
internal sealed record ShellListItem(Connector Connector, ShellPipeline Pipeline);

internal sealed record ShellPipeline(IReadOnlyList<ShellCommand> Commands);

/// <summary>A simple command; its words may hold markers of <paramref name="Substitutions"/> (the scripts of the line's $( )).</summary>
internal sealed record ShellCommand(IReadOnlyList<string> Words, IReadOnlyList<ShellRedirection> Redirections, IReadOnlyList<string> Substitutions);

internal enum RedirectionKind { Output, Append, Duplicate, Input }

/// <summary><c>Fd</c> 0, 1 or 2; <c>Target</c> is a path, or the fd number for <see cref="RedirectionKind.Duplicate"/>.</summary>
internal sealed record ShellRedirection(int Fd, RedirectionKind Kind, string Target);

/// <summary>A line the lab shell cannot parse; the message follows bash's wording where there is one.</summary>
internal sealed class ShellSyntaxException(string message) : Exception(message);

/// <summary>Thrown by <c>exit</c>: ends the script (or only its pipeline stage, which bash runs in a subshell).</summary>
internal sealed class ShellExitException(int exitCode) : Exception($"exit {exitCode}")
{
    public int ExitCode { get; } = exitCode;
}

/// <summary>The reader of a pipe has gone (like SIGPIPE): the writing stage stops with status 141.</summary>
public sealed class BrokenPipeException() : Exception("Broken pipe");

/// <summary>
/// The host ends the session under the running command (it reboots or powers off), as sshd dies with the system:
/// the rest of the script does not run, and the transport reports a connection closed by the remote host.
/// </summary>
public sealed class SessionClosedException() : Exception("Connection closed by remote host.");
