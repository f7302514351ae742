using RecoveryConsole.Lab.Hosts;

namespace RecoveryConsole.Lab.Shell;

/// <summary>Everything one command invocation sees: its arguments, streams, host and clock.</summary>
public sealed class LabCommandContext
{
    /// <summary>The command name as typed (may be a path such as /usr/local/bin/cluster-restore.sh).</summary>
    public required string Name { get; init; }

    /// <summary>Arguments after the name, quotes already removed.</summary>
    public required IReadOnlyList<string> Args { get; init; }

    public required ShellInput Stdin { get; init; }
    public required ShellWriter Stdout { get; init; }
    public required ShellWriter Stderr { get; init; }
    public required LabHost Host { get; init; }
    public required LabClock Clock { get; init; }

    /// <summary>Assignments given before the name (<c>ETCDCTL_API=3 etcdctl ...</c>).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// True when the command runs as root: typed after <c>sudo</c> (lab hosts are entered as the user core).
    /// Programs that need root (cluster-restore.sh, crictl, moving static pod manifests) refuse otherwise.
    /// </summary>
    public bool Privileged { get; init; }

    /// <summary>Status of the previous pipeline ($?), for <c>exit</c> without argument.</summary>
    public int LastStatus { get; init; }

    public CancellationToken CancellationToken { get; init; }

    /// <summary>The name used in error messages: "grep: x: No such file or directory".</summary>
    public string DisplayName => Name[(Name.LastIndexOf('/') + 1)..];

    public ValueTask OutAsync(string line) => Stdout.WriteLineAsync(line, CancellationToken);

    public ValueTask ErrAsync(string line) => Stderr.WriteLineAsync(line, CancellationToken);

    /// <summary>Prints a (possibly multi-line) error message to stderr and gives exit status 1, as most tools fail.</summary>
    public async Task<int> FailAsync(string message)
    {
        foreach (var line in message.Split('\n')) await ErrAsync(line).ConfigureAwait(false);
        return 1;
    }

    public string ResolvePath(string path) => LabFileSystem.Normalize(path, Host.HomeDirectory);

    /// <summary>
    /// Opens a FILE operand as coreutils do: "-" is stdin; a missing file or a directory is reported
    /// on stderr as "<c>name: operand: reason</c>" and gives null.
    /// </summary>
    public async ValueTask<ShellInput?> OpenInputAsync(string operand)
    {
        if (operand == "-") return Stdin;
        var path = ResolvePath(operand);
        if (Host.FileSystem.DirectoryExists(path))
        {
            await ErrAsync($"{DisplayName}: {operand}: Is a directory").ConfigureAwait(false);
            return null;
        }
        if (!Host.FileSystem.TryReadFile(path, out var content))
        {
            await ErrAsync($"{DisplayName}: {operand}: No such file or directory").ConfigureAwait(false);
            return null;
        }
        return ShellInput.FromText(content);
    }
}
