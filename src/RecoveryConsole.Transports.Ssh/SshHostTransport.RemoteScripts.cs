using Microsoft.Extensions.Logging;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Procedures.Model;
using RecoveryConsole.Procedures.Rendering;
using RecoveryConsole.Transports.Ssh.Connection;
using RecoveryConsole.Transports.Ssh.Failures;
using RecoveryConsole.Transports.Ssh.Files;
using RecoveryConsole.Transports.Ssh.Processes;

namespace RecoveryConsole.Transports.Ssh;

/// <summary>The transport's own scripts on a host (file transfers, checksums): raw stdin and stdout, no markers.</summary>
public sealed partial class SshHostTransport
{
    /// <summary>Runs a short helper script and returns its stdout; a failure on the host becomes a <see cref="FileTransferException"/>.</summary>
    private async Task<byte[]> CaptureAsync(HostEndpoint endpoint, string script, TransferOptions options, CancellationToken cancellationToken,
        byte[]? stdin = null, bool allowFailure = false)
    {
        var stdout = new MemoryStream();
        var run = await RawAsync(endpoint, script, options,
            stdin is null ? null : (s, ct) => s.WriteAsync(stdin, ct).AsTask(),
            (s, ct) => s.CopyToAsync(stdout, ct), cancellationToken).ConfigureAwait(false);
        if (run.ExitCode != 0 && !allowFailure)
            throw new FileTransferException($"On {endpoint.Name}, '{script}' failed (exit {run.ExitCode}): {run.Said}");
        return stdout.ToArray();
    }

    private async Task RequireAsync(HostEndpoint endpoint, string script, TransferOptions options, string failure, CancellationToken cancellationToken)
    {
        var run = await RawAsync(endpoint, script, options, null, (s, ct) => s.CopyToAsync(Stream.Null, ct), cancellationToken).ConfigureAwait(false);
        if (run.ExitCode != 0) throw new FileTransferException($"{failure} (exit {run.ExitCode}): {run.Said}");
    }

    private async Task TryRemoveAsync(HostEndpoint endpoint, string remote, TransferOptions options)
    {
        try
        {
            await RawAsync(endpoint, $"rm -f -- {ShellQuote.Quote(remote)}", options, null, (s, ct) => s.CopyToAsync(Stream.Null, ct), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileTransferException or HostUnreachableException)
        {
            _logger.LogWarning("Removing the partial upload {Path} on {Host} failed: {Message}", remote, endpoint.Name, e.Message);
        }
    }

    private sealed record RawRun(int ExitCode, IReadOnlyList<string> Stderr)
    {
        public string Said => Stderr.LastOrDefault(l => l.Trim().Length > 0)?.Trim() ?? "no message";
    }

    /// <summary>
    /// Runs a script of ours on the host with raw stdin/stdout (no markers: the streams carry file data). Our scripts
    /// never exit 255, so 255 here is ssh's own failure.
    /// </summary>
    private async Task<RawRun> RawAsync(HostEndpoint endpoint, string script, TransferOptions options,
        Func<Stream, CancellationToken, Task>? writeStdin, Func<Stream, CancellationToken, Task> readStdout, CancellationToken cancellationToken)
    {
        if (options.UseSudo && Profile.Sudo == SudoMode.None)
            throw new FileTransferException("This transfer asks for sudo, but the cluster's SSH profile does not allow sudo.");
        var remote = options.UseSudo ? $"sudo -n sh -c {ShellQuote.Quote(script)}" : script;
        var timeout = options.Timeout ?? Profile.CommandTimeout;
        using var process = ChildProcess.Start(_settings.SshPath, _commandLine.Command(endpoint, remote, withStdin: writeStdin is not null));
        var stderr = new List<string>();
        var readErr = Utf8Lines.ReadAsync(process.StandardError.BaseStream, l => { lock (stderr) if (stderr.Count < 100) stderr.Add(l); });
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var readOut = Task.Run(() => readStdout(process.StandardOutput.BaseStream, limit.Token), CancellationToken.None);
        var writeIn = Task.Run(async () =>
        {
            try { if (writeStdin is not null) await writeStdin(process.StandardInput.BaseStream, limit.Token).ConfigureAwait(false); }
            catch (IOException e) when (e is not FileTransferException) { } // the remote side stopped reading; its exit status says why
            finally { process.StandardInput.Close(); }
        }, CancellationToken.None);
        // A reader that refuses the data (an unsafe archive entry, a full local disk) must not leave ssh blocked on a full pipe.
        var killedForReader = false;
        _ = readOut.ContinueWith(_ =>
        {
            Volatile.Write(ref killedForReader, true);
            ChildProcess.KillQuietly(process);
        }, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            ChildProcess.KillQuietly(process);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            await Task.WhenAll(readOut, writeIn).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            throw new FileTransferException($"The transfer with {endpoint.Name} did not finish within {Durations.Format(timeout)} and was stopped.");
        }
        Exception? readFailure = null;
        try { await Task.WhenAll(readOut, writeIn).ConfigureAwait(false); }
        catch (Exception e) { readFailure = e; }
        await OutputDrain.WaitAsync(readErr).ConfigureAwait(false);
        IReadOnlyList<string> said;
        lock (stderr) said = stderr.ToArray();
        // Which failure to report: our own refusal, then ssh's, then a local write problem, then the host's exit status.
        if (readFailure is FileTransferException refused) throw refused;
        if (process.ExitCode == 255 && !Volatile.Read(ref killedForReader))
        {
            var failure = await EnrichAsync(SshDiagnostics.Classify(endpoint, Profile, said, 255), endpoint, cancellationToken).ConfigureAwait(false);
            if (failure.Kind == SshFailureKind.ClientError)
                throw new FileTransferException($"ssh failed during the transfer with {endpoint.Name}: {failure.Reason}.");
            throw failure.AsUnreachable();
        }
        // sudo -n refuses before the script runs; say so rather than quote the script's (absent) failure.
        if (options.UseSudo && process.ExitCode != 0 && RemoteFailures.SudoRefusal(endpoint.Name, Profile.User, said) is { } refusal)
            throw new FileTransferException(refusal);
        if (readFailure is not null && (Volatile.Read(ref killedForReader) || process.ExitCode == 0))
            throw new FileTransferException($"Saving the data from {endpoint.Name} failed here: {readFailure.Message}");
        return new RawRun(process.ExitCode, said);
    }
}
