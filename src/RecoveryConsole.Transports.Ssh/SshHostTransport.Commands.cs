using Microsoft.Extensions.Logging;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Procedures.Model;
using RecoveryConsole.Transports.Ssh.Commands;
using RecoveryConsole.Transports.Ssh.Connection;
using RecoveryConsole.Transports.Ssh.Failures;
using RecoveryConsole.Transports.Ssh.Processes;

namespace RecoveryConsole.Transports.Ssh;

/// <summary>Commands: streaming, exit status, timeout, and stopping the remote command on cancel.</summary>
public sealed partial class SshHostTransport
{
    /// <inheritdoc />
    /// <remarks>
    /// Outcomes: the command's exit status (any value, 255 included); <see cref="HostUnreachableException"/> with an
    /// <see cref="SshConnectionException"/> inside when nothing ran; <see cref="OperationCanceledException"/> after the
    /// remote command was stopped; <see cref="RemoteCommandTimeoutException"/> after <see cref="SshClusterProfile.CommandTimeout"/>;
    /// <see cref="RemoteCommandLostException"/> when the command started but its end was never seen.
    /// </remarks>
    public Task<int> RunAsync(HostInfo host, string command, IOutputSink output, CancellationToken cancellationToken) =>
        RunAsync(host, command, output, null, cancellationToken);

    /// <summary>As <see cref="RunAsync(HostInfo, string, IOutputSink, CancellationToken)"/>, with a timeout for this command instead of the profile's.</summary>
    public async Task<int> RunAsync(HostInfo host, string command, IOutputSink output, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(output);
        cancellationToken.ThrowIfCancellationRequested();
        var endpoint = await PrepareAsync(host, cancellationToken, output).ConfigureAwait(false);
        return await ExecuteAsync(endpoint, command, output, timeout ?? Profile.CommandTimeout, cancellationToken).ConfigureAwait(false);
    }

    private Task<int> ExecuteAsync(HostEndpoint endpoint, string command, IOutputSink output, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var markers = CommandMarkers.Create();
        var launched = Launch(endpoint, markers, markers.Wrap(command), output, withStdin: false);
        return CompleteAsync(endpoint, launched, output, timeout, cancellationToken);
    }

    /// <summary>The local ssh with its output readers; the remote side runs <paramref name="wrapped"/>.</summary>
    private LaunchedCommand Launch(HostEndpoint endpoint, CommandMarkers markers, string wrapped, IOutputSink output, bool withStdin)
    {
        var process = ChildProcess.Start(_settings.SshPath, _commandLine.Command(endpoint, wrapped, withStdin));
        if (!withStdin) process.StandardInput.Close();
        var marked = new MarkedOutput(output, markers);
        var sinkFailed = new CancellationTokenSource();
        var readOut = ReadLinesAsync(process.StandardOutput.BaseStream, marked.Stdout, sinkFailed);
        var readErr = ReadLinesAsync(process.StandardError.BaseStream, marked.Stderr, sinkFailed);
        return new LaunchedCommand(process, marked, readOut, readErr, sinkFailed);
    }

    /// <summary>A launched ssh and what reads its pipes; disposing releases the process handle.</summary>
    private sealed record LaunchedCommand(System.Diagnostics.Process Process, MarkedOutput Marked, Task ReadOut, Task ReadErr, CancellationTokenSource SinkFailed) : IDisposable
    {
        public void Dispose()
        {
            Process.Dispose();
            SinkFailed.Dispose();
        }
    }

    /// <summary>Waits for the launched command's end (stopping it on the host on cancel or timeout) and tells its exit status.</summary>
    private async Task<int> CompleteAsync(HostEndpoint endpoint, LaunchedCommand launched, IOutputSink output, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var _ = launched;
        var (process, marked, readOut, readErr, sinkFailed) = launched;
        using var deadline = new CancellationTokenSource(timeout);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token, sinkFailed.Token);
        try
        {
            await process.WaitForExitAsync(stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            var report = await StopRemoteAsync(endpoint, process, marked, output).ConfigureAwait(false);
            await OutputDrain.WaitAsync(readOut, readErr).ConfigureAwait(false); // rethrows the sink's own failure, if that was the cause
            if (sinkFailed.IsCancellationRequested)
                await (readOut.IsFaulted ? readOut : readErr).ConfigureAwait(false);
            if (cancellationToken.IsCancellationRequested)
                throw new OperationCanceledException($"Cancelled on {endpoint.Name}: {report}", cancellationToken);
            throw new RemoteCommandTimeoutException(endpoint.Name, timeout, report);
        }
        await OutputDrain.WaitAsync(readOut, readErr).ConfigureAwait(false);
        return await OutcomeAsync(endpoint, process.ExitCode, marked, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Tells a command's exit status from ssh's own failure, which share the code 255.</summary>
    private async Task<int> OutcomeAsync(HostEndpoint endpoint, int sshExit, MarkedOutput marked, CancellationToken cancellationToken)
    {
        if (marked.Finish() is int exitCode) return exitCode; // the wrapper reported the command's own status
        if (marked.ProcessGroup is null)
        {
            var early = marked.EarlyStderr;
            if (sshExit == 255)
            {
                var failure = SshDiagnostics.Classify(endpoint, Profile, early, sshExit);
                throw (await EnrichAsync(failure, endpoint, cancellationToken).ConfigureAwait(false)).AsUnreachable();
            }
            var said = early.LastOrDefault(l => l.Trim().Length > 0);
            throw new SshConnectionException(endpoint.Name, SshFailureKind.ShellRefused,
                $"{endpoint.Display} accepted the login of '{endpoint.User}' but its shell did not run the command (exit code {sshExit}" +
                (said is null ? ")" : $": \"{said.Trim()}\")"), early).AsUnreachable();
        }
        if (sshExit == 255)
            // Started, but neither the exit marker nor an exit status arrived: the connection or the remote shell died.
            throw new RemoteCommandLostException(endpoint.Name, marked.LastStderr is { } last
                ? $"ssh exited with 255; last line on stderr: \"{last}\""
                : "ssh exited with 255 and no exit status arrived");
        return sshExit; // the remote shell's status without the marker (a background process wrote after it)
    }

    /// <summary>
    /// Stops the remote command: SIGTERM to its process group through the master connection, SIGKILL after the grace
    /// period, and the local ssh last. Each step is written to the output as a System line, so the transcript shows it.
    /// </summary>
    private async Task<string> StopRemoteAsync(HostEndpoint endpoint, System.Diagnostics.Process process, MarkedOutput marked, IOutputSink output)
    {
        string Say(string text)
        {
            try { output.Line(OutputStream.System, text); } catch (Exception) { /* the sink failing is why we stop */ }
            return text;
        }

        if (marked.ProcessGroup is null)
        {
            // Still logging in, or the start line is on its way: wait for one of them before deciding.
            using var wait = new CancellationTokenSource(Profile.ConnectTimeout);
            try { await Task.WhenAny(marked.Started, process.WaitForExitAsync(wait.Token)).ConfigureAwait(false); }
            catch (OperationCanceledException) { }
        }
        if (marked.ProcessGroup is not int group)
        {
            ChildProcess.KillQuietly(process);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            return Say($"Stopped before the command started on {endpoint.Name}: nothing ran there.");
        }
        if (process.HasExited) return "the command had finished already";

        var grace = _settings.KillGracePeriod;
        await SignalAsync(endpoint, group, "TERM").ConfigureAwait(false);
        Say($"Stopping the command on {endpoint.Name}: sent SIGTERM to its process group {group}.");
        if (await ChildProcess.ExitsWithinAsync(process, grace).ConfigureAwait(false))
            return $"SIGTERM sent to process group {group}; the command ended";

        await SignalAsync(endpoint, group, "KILL").ConfigureAwait(false);
        Say($"The command on {endpoint.Name} was still running {Durations.Format(grace)} after SIGTERM: sent SIGKILL to process group {group}.");
        if (await ChildProcess.ExitsWithinAsync(process, grace).ConfigureAwait(false))
            return $"SIGKILL sent to process group {group} after SIGTERM was ignored; the command ended";

        ChildProcess.KillQuietly(process);
        await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        return Say($"The command on {endpoint.Name} did not end after SIGKILL (a process left its process group, or the connection is gone); " +
                   "the local ssh was stopped. Check the host before going on.");
    }

    /// <summary>
    /// Signals the remote process group. With passwordless sudo the signal is sent as root, so the processes a
    /// <c>sudo</c> command started are reached too; without it (or if sudo refuses) as the connection user.
    /// </summary>
    private async Task SignalAsync(HostEndpoint endpoint, int group, string signal)
    {
        var kill = $"kill -s {signal} -- -{group}";
        var script = Profile.Sudo == SudoMode.NoPassword ? $"sudo -n {kill} 2>/dev/null || {kill}" : kill;
        var sent = await CapturedRun.RunAsync(_settings.SshPath, _commandLine.Command(endpoint, script, withStdin: false),
            Profile.ConnectTimeout + TimeSpan.FromSeconds(10), CancellationToken.None).ConfigureAwait(false);
        if (sent.ExitCode != 0)
            _logger.LogWarning("SIG{Signal} to process group {Group} on {Host} was not delivered (exit {Exit}): {Message}",
                signal, group, endpoint.Name, sent.ExitCode, sent.StderrText);
    }

    private static Task ReadLinesAsync(Stream stream, Action<string> onLine, CancellationTokenSource onFailure) =>
        Task.Run(async () =>
        {
            try
            {
                await Utf8Lines.ReadAsync(stream, onLine).ConfigureAwait(false);
            }
            catch
            {
                await onFailure.CancelAsync().ConfigureAwait(false); // a sink that throws stops the command instead of filling the pipe
                throw;
            }
        });
}
