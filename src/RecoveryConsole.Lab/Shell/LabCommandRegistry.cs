using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using RecoveryConsole.Lab.Shell.Commands;

namespace RecoveryConsole.Lab.Shell;

/// <summary>
/// The programs installed on a lab cluster's hosts. The later simulation registers its own tools
/// (crictl, etcdctl, cluster-restore.sh) here; registering a name again replaces the program.
/// </summary>
public sealed class LabCommandRegistry
{
    private readonly ConcurrentDictionary<string, ILabCommand> _commands = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Names => _commands.Keys.Order(StringComparer.Ordinal).ToList();

    public LabCommandRegistry Register(ILabCommand command) => Register(command.Name, command);

    /// <summary>Registers <paramref name="command"/> under another name too (egrep, [).</summary>
    public LabCommandRegistry Register(string name, ILabCommand command)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(command);
        _commands[name] = command;
        return this;
    }

    public LabCommandRegistry Register(string name, Func<LabCommandContext, Task<int>> handler) =>
        Register(name, new DelegateLabCommand(name, handler));

    /// <summary>
    /// Finds a program by the name as typed, then by its last path segment, so procedures may call
    /// <c>/usr/local/bin/cluster-restore.sh</c> or <c>/usr/bin/grep</c> without the lab modelling PATH.
    /// </summary>
    public bool TryResolve(string name, [NotNullWhen(true)] out ILabCommand? command)
    {
        if (_commands.TryGetValue(name, out command)) return true;
        var slash = name.LastIndexOf('/');
        return slash >= 0 && slash < name.Length - 1 && _commands.TryGetValue(name[(slash + 1)..], out command);
    }

    /// <summary>The basic utilities every lab host has.</summary>
    public static LabCommandRegistry CreateDefault()
    {
        var registry = new LabCommandRegistry()
            .Register(new EchoCommand())
            .Register(new PrintfCommand())
            .Register(new SeqCommand())
            .Register(new SleepCommand())
            .Register(new DateCommand())
            .Register(new ExitCommand())
            .Register(new StatusCommand("true", 0))
            .Register(new StatusCommand(":", 0))
            .Register(new StatusCommand("false", 1))
            .Register(new CatCommand())
            .Register(new HostnameCommand())
            .Register(new GrepCommand("grep", extended: false))
            .Register(new GrepCommand("egrep", extended: true))
            .Register(new WcCommand())
            .Register(new HeadCommand())
            .Register(new TailCommand())
            .Register(new LsCommand())
            .Register(new MvCommand())
            .Register(new RmCommand())
            .Register(new CpCommand())
            .Register(new FindCommand())
            .Register(new CutCommand())
            .Register(new MkdirCommand())
            .Register(new TestCommand("test"))
            .Register(new TestCommand("["));
        return registry;
    }
}
