using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Procedures.Model;
using RecoveryConsole.Transports.Ssh.Commands;
using RecoveryConsole.Transports.Ssh.Connection;
using RecoveryConsole.Transports.Ssh.Failures;
using RecoveryConsole.Transports.Ssh.Processes;

namespace RecoveryConsole.Transports.Ssh;

/// <summary>
/// Armed commands for <c>mode: together</c>: the ssh session is open and the remote shell waits for one line on its stdin
/// (<see cref="CommandMarkers.WrapArmed"/>). Firing writes it: one pipe write per host, where a plain start costs an ssh
/// process, a session and a shell each (50 hosts on 2 cores started 1.3 s apart that way).
/// </summary>
public sealed partial class SshHostTransport : IArmableHostTransport
{
    /// <summary>Disarming closes the signal's pipe; a remote shell that has not ended after this long is stopped locally.</summary>
    private static readonly TimeSpan DisarmLimit = TimeSpan.FromSeconds(10);

    /// <inheritdoc />
    public async Task<IArmedCommand> ArmAsync(HostInfo host, string command, IOutputSink output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(output);
        cancellationToken.ThrowIfCancellationRequested();
        var endpoint = await PrepareAsync(host, cancellationToken, output).ConfigureAwait(false);
        var markers = CommandMarkers.Create();
        var armed = new ArmedSshCommand(this, endpoint, Launch(endpoint, markers, markers.WrapArmed(command), output, withStdin: true), output, cancellationToken);
        try
        {
            await armed.ReadyAsync(Profile.ConnectTimeout + TimeSpan.FromSeconds(20), cancellationToken).ConfigureAwait(false);
            return armed;
        }
        catch
        {
            await armed.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private sealed class ArmedSshCommand(SshHostTransport transport, HostEndpoint endpoint, LaunchedCommand launched, IOutputSink output, CancellationToken cancellationToken)
        : IArmedCommand
    {
        private int _fired;

        /// <summary>Returns once the remote shell waits for the signal; throws why it never will.</summary>
        public async Task ReadyAsync(TimeSpan limit, CancellationToken cancellation)
        {
            using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            var exited = launched.Process.WaitForExitAsync(waiting.Token);
            var first = await Task.WhenAny(launched.Marked.Armed, exited, Task.Delay(limit, waiting.Token)).ConfigureAwait(false);
            await waiting.CancelAsync().ConfigureAwait(false);
            if (first == launched.Marked.Armed && first.IsCompletedSuccessfully) return;
            if (first == exited && exited.IsCompletedSuccessfully)
            {
                // Ended before it was ready: ssh's own failure (unreachable, refused, host key) or a shell that would not run it.
                await OutputDrain.WaitAsync(launched.ReadOut, launched.ReadErr).ConfigureAwait(false);
                await transport.OutcomeAsync(endpoint, launched.Process.ExitCode, launched.Marked, cancellation).ConfigureAwait(false);
                throw new SshConnectionException(endpoint.Name, SshFailureKind.ShellRefused,
                    $"{endpoint.Display} ended the session before the command was ready (exit code {launched.Process.ExitCode})", launched.Marked.EarlyStderr).AsUnreachable();
            }
            cancellation.ThrowIfCancellationRequested();
            throw new SshConnectionException(endpoint.Name, SshFailureKind.ConnectTimeout,
                $"{endpoint.Display} did not get the command ready within {Durations.Format(limit)}", launched.Marked.EarlyStderr).AsUnreachable();
        }

        public Task<int> Fire()
        {
            if (Interlocked.Exchange(ref _fired, 1) != 0) throw new InvalidOperationException("The command was fired already.");
            try
            {
                var stdin = launched.Process.StandardInput.BaseStream;
                stdin.Write("go\n"u8);
                stdin.Flush();
                launched.Process.StandardInput.Close(); // the command reads end-of-file, as with ssh -n
            }
            catch (IOException) { } // ssh ended meanwhile: how, and whether anything ran, is what the completion tells
            return transport.CompleteAsync(endpoint, launched, output, transport.Profile.CommandTimeout, cancellationToken);
        }

        /// <summary>Not fired: closes the signal's pipe, so the remote shell ends without running anything; fired: the completion owns it.</summary>
        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _fired, 1) != 0) return;
            using var _ = launched;
            try { launched.Process.StandardInput.Close(); }
            catch (IOException) { }
            if (!await ChildProcess.ExitsWithinAsync(launched.Process, DisarmLimit).ConfigureAwait(false))
            {
                ChildProcess.KillQuietly(launched.Process);
                await launched.Process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            }
            try { await OutputDrain.WaitAsync(launched.ReadOut, launched.ReadErr).ConfigureAwait(false); }
            catch (Exception) { /* the sink's own failure: nothing ran, nothing to report */ }
        }
    }
}
