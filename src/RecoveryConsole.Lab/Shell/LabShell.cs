using System.Text.RegularExpressions;
using RecoveryConsole.Lab.Hosts;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Lab.Shell;

/// <summary>
/// Runs a command line against a simulated host the way <c>bash -c</c> would for the subset procedures use:
/// lists, pipelines (stages run concurrently, connected by bounded pipes), redirections and registered programs.
/// Output reaches the sink line by line while it is produced.
/// </summary>
public sealed partial class LabShell(LabCommandRegistry commands, LabClock clock)
{
    public const int CommandNotFound = 127;
    public const int SyntaxError = 2;
    public const int BrokenPipe = 141; // 128 + SIGPIPE

    public LabCommandRegistry Commands { get; } = commands;
    public LabClock Clock { get; } = clock;

    /// <summary>Runs <paramref name="script"/> on <paramref name="host"/>; returns the exit status of the last pipeline run.</summary>
    public async Task<int> RunAsync(string script, LabHost host, IOutputSink sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(script);
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(sink);
        cancellationToken.ThrowIfCancellationRequested();

        var output = new SinkOutput(sink);
        var stdout = new SinkWriter(output, OutputStream.Stdout);
        var stderr = new SinkWriter(output, OutputStream.Stderr);
        ShellScript parsed;
        try
        {
            parsed = ShellParser.Parse(script);
        }
        catch (ShellSyntaxException e)
        {
            output.Line(OutputStream.Stderr, "bash: " + e.Message);
            return SyntaxError;
        }

        var session = new Session(host, stdout, stderr, cancellationToken);
        try
        {
            return await RunListAsync(parsed, session).ConfigureAwait(false);
        }
        catch (ShellExitException e)
        {
            return e.ExitCode;
        }
        finally
        {
            // An unfinished last line still belongs to the output (echo -n, printf without \n).
            await stdout.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            await stderr.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private sealed class Session(LabHost host, ShellWriter stdout, ShellWriter stderr, CancellationToken cancellationToken)
    {
        public LabHost Host { get; } = host;
        public ShellWriter Stdout { get; } = stdout;
        public ShellWriter Stderr { get; } = stderr;
        public CancellationToken CancellationToken { get; } = cancellationToken;
        public int LastStatus { get; set; }
    }

    private async Task<int> RunListAsync(ShellScript script, Session session)
    {
        var status = 0;
        foreach (var item in script.Items)
        {
            // a && b || c is left-associative: a skipped pipeline keeps the previous status.
            if (item.Connector == Connector.And && status != 0) continue;
            if (item.Connector == Connector.Or && status == 0) continue;
            session.CancellationToken.ThrowIfCancellationRequested();
            status = await RunPipelineAsync(item.Pipeline, session).ConfigureAwait(false);
            session.LastStatus = status;
        }
        return status;
    }

    private async Task<int> RunPipelineAsync(ShellPipeline pipeline, Session session)
    {
        if (pipeline.Commands.Count == 1)
            return await RunCommandAsync(pipeline.Commands[0], ShellInput.Empty, session.Stdout, session).ConfigureAwait(false);

        var stages = new Task<int>[pipeline.Commands.Count];
        ShellPipe? upstream = null;
        for (var i = 0; i < stages.Length; i++)
        {
            var downstream = i < stages.Length - 1 ? new ShellPipe() : null;
            stages[i] = RunStageAsync(pipeline.Commands[i], upstream, downstream, session);
            upstream = downstream;
        }
        await Task.WhenAll(stages).ConfigureAwait(false);
        return stages[^1].Result; // the status of a pipeline is its last stage's (no pipefail)
    }

    private async Task<int> RunStageAsync(ShellCommand command, ShellPipe? input, ShellPipe? output, Session session)
    {
        await Task.Yield(); // stages run concurrently, like processes
        try
        {
            var stdout = output?.Writer ?? session.Stdout;
            var status = await RunCommandAsync(command, input?.Reader ?? ShellInput.Empty, stdout, session).ConfigureAwait(false);
            if (output is not null) await output.Writer.FlushAsync(session.CancellationToken).ConfigureAwait(false);
            return status;
        }
        catch (BrokenPipeException)
        {
            return BrokenPipe;
        }
        catch (ShellExitException e)
        {
            return e.ExitCode; // each stage is a subshell: exit ends only the stage
        }
        finally
        {
            output?.CompleteWriting();
            input?.CloseReading();
        }
    }

    private async Task<int> RunCommandAsync(ShellCommand command, ShellInput stdin, ShellWriter stdout, Session session)
    {
        var ct = session.CancellationToken;
        var words = await ExpandWordsAsync(command, session).ConfigureAwait(false);
        var redirections = await ExpandRedirectionsAsync(command, session).ConfigureAwait(false);
        var redirected = await RedirectAsync(redirections, stdin, stdout, session).ConfigureAwait(false);
        if (redirected is null) return 1;
        var (input, output, error) = redirected.Value;

        var environment = TakeAssignments(words);
        var (privileged, preserveEnvironment) = StripSudo(words);
        if (privileged)
        {
            // sudo resets the environment (env_reset): VAR=value before it reaches the command only with -E.
            if (!preserveEnvironment) environment.Clear();
            foreach (var (key, value) in TakeAssignments(words)) environment[key] = value; // sudo VAR=value cmd
        }
        if (words.Count == 0) return 0;

        var name = words[0];
        if (!Commands.TryResolve(name, out var program))
        {
            await error.WriteLineAsync($"bash: {name}: command not found", ct).ConfigureAwait(false);
            return CommandNotFound;
        }

        var context = new LabCommandContext
        {
            Name = name,
            Args = words.Skip(1).ToList(),
            Stdin = input,
            Stdout = output,
            Stderr = error,
            Host = session.Host,
            Clock = Clock,
            Environment = environment,
            LastStatus = session.LastStatus,
            Privileged = privileged,
            CancellationToken = ct,
        };
        return await program.RunAsync(context).ConfigureAwait(false);
    }

    /// <summary>
    /// Applies redirections left to right over the file descriptor table, so "&gt;/dev/null 2&gt;&amp;1" silences both
    /// while "2&gt;&amp;1 &gt;/dev/null" sends stderr where stdout was. Null when one fails (reported on stderr).
    /// </summary>
    private async Task<(ShellInput, ShellWriter, ShellWriter)?> RedirectAsync(
        IReadOnlyList<ShellRedirection> redirections, ShellInput stdin, ShellWriter stdout, Session session)
    {
        var fds = new[] { (ShellWriter?)null, stdout, session.Stderr };
        var input = stdin;
        foreach (var r in redirections)
        {
            string? failure = null;
            switch (r.Kind)
            {
                case RedirectionKind.Duplicate:
                    fds[r.Fd] = fds[int.Parse(r.Target, System.Globalization.CultureInfo.InvariantCulture)];
                    break;
                case RedirectionKind.Input:
                    if (r.Target == "/dev/null")
                    {
                        input = ShellInput.Empty;
                    }
                    else if (session.Host.FileSystem.TryReadFile(ResolvePath(session, r.Target), out var content))
                    {
                        input = ShellInput.FromText(content);
                    }
                    else
                    {
                        failure = "No such file or directory";
                    }
                    break;
                default:
                    (fds[r.Fd], failure) = OpenForWriting(r, fds, session);
                    break;
            }
            if (failure is not null)
            {
                await fds[2]!.WriteLineAsync($"bash: {r.Target}: {failure}", session.CancellationToken).ConfigureAwait(false);
                return null;
            }
        }
        return (input, fds[1]!, fds[2]!);
    }

    private static (ShellWriter?, string?) OpenForWriting(ShellRedirection r, ShellWriter?[] fds, Session session)
    {
        switch (r.Target)
        {
            case "/dev/null": return (ShellWriter.Null, null);
            case "/dev/stdout": return (fds[1], null);
            case "/dev/stderr": return (fds[2], null);
        }
        var path = ResolvePath(session, r.Target);
        var files = session.Host.FileSystem;
        if (files.DirectoryExists(path)) return (null, "Is a directory");
        if (!files.DirectoryExists(LabFileSystem.ParentOf(path))) return (null, "No such file or directory");
        if (r.Kind == RedirectionKind.Output) files.WriteFile(path, ""); // truncated when opened, even if the command fails
        return (new FileWriter(files, path), null);
    }

    private static string ResolvePath(Session session, string path) => LabFileSystem.Normalize(path, session.Host.HomeDirectory);

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*=")]
    private static partial Regex AssignmentPattern();

    private static Dictionary<string, string> TakeAssignments(List<string> words)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        while (words.Count > 0 && AssignmentPattern().IsMatch(words[0]))
        {
            var eq = words[0].IndexOf('=');
            environment[words[0][..eq]] = words[0][(eq + 1)..];
            words.RemoveAt(0);
        }
        return environment;
    }

    /// <summary>
    /// Removes "sudo" and its flags (-E, -n); Privileged when it was there, so the command runs as root, and
    /// PreserveEnvironment for -E / --preserve-env.
    /// </summary>
    private static (bool Privileged, bool PreserveEnvironment) StripSudo(List<string> words)
    {
        if (words.Count == 0 || words[0] != "sudo") return (false, false);
        words.RemoveAt(0);
        var preserve = false;
        while (words.Count > 0 && words[0].StartsWith('-') && words[0].Length > 1)
        {
            var flag = words[0];
            words.RemoveAt(0);
            if (flag == "--") break;
            preserve |= flag == "--preserve-env" || (!flag.StartsWith("--", StringComparison.Ordinal) && flag.Contains('E'));
        }
        return (true, preserve);
    }

    /// <summary>Appends to a host file; no line buffering because files take raw text.</summary>
    private sealed class FileWriter(LabFileSystem files, string path) : ShellWriter
    {
        public override ValueTask WriteLineAsync(string line, CancellationToken cancellationToken) => WriteAsync(line + "\n", cancellationToken);

        public override ValueTask WriteAsync(string text, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            files.AppendFile(path, text);
            return default;
        }

        public override ValueTask FlushAsync(CancellationToken cancellationToken) => default;

        protected override ValueTask EmitAsync(string line, CancellationToken cancellationToken) => WriteAsync(line + "\n", cancellationToken);
    }
}
