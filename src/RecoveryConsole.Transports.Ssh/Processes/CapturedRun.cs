using System.Text;

namespace RecoveryConsole.Transports.Ssh.Processes;

/// <summary>The result of a short helper process (ssh -O, ssh-keyscan, ssh-keygen, a signal sent to a host).</summary>
internal sealed record CapturedRun(int ExitCode, byte[] Stdout, IReadOnlyList<string> StderrLines, bool TimedOut)
{
    public string StdoutText => Encoding.UTF8.GetString(Stdout);

    public string StderrText => string.Join('\n', StderrLines);

    /// <summary>Runs a process to its end, feeding <paramref name="stdin"/> and collecting both outputs; killed after <paramref name="timeout"/>.</summary>
    public static async Task<CapturedRun> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancellationToken,
        byte[]? stdin = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var process = ChildProcess.Start(fileName, arguments, environment);
        var stdout = new MemoryStream();
        var stderr = new List<string>();
        var readOut = process.StandardOutput.BaseStream.CopyToAsync(stdout, CancellationToken.None);
        var readErr = Utf8Lines.ReadAsync(process.StandardError.BaseStream, line => { lock (stderr) stderr.Add(line); }, CancellationToken.None);
        try
        {
            if (stdin is not null) await process.StandardInput.BaseStream.WriteAsync(stdin, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException) { } // the program exited without reading everything; its exit code tells why
        finally { process.StandardInput.Close(); }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            ChildProcess.KillQuietly(process);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            timedOut = true;
        }
        await OutputDrain.WaitAsync(readOut, readErr).ConfigureAwait(false);
        lock (stderr) return new CapturedRun(timedOut ? -1 : process.ExitCode, stdout.ToArray(), stderr.ToArray(), timedOut);
    }
}
