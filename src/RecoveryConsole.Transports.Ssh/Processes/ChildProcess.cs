using System.Diagnostics;

namespace RecoveryConsole.Transports.Ssh.Processes;

/// <summary>Starts the OpenSSH binaries without a shell in between: every argument reaches the program as one word.</summary>
internal static class ChildProcess
{
    public static Process Start(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,   // never the console's own stdin
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        if (environment is not null)
            foreach (var (name, value) in environment) info.Environment[name] = value;
        try
        {
            return Process.Start(info) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException(
                $"Could not start '{fileName}' ({e.Message}). The SSH transport needs the OpenSSH client: apt-get install -y openssh-client.", e);
        }
    }

    /// <summary>Kills the process and everything it started locally; it may already be gone.</summary>
    public static void KillQuietly(Process process)
    {
        try { if (!process.HasExited) process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { } // exited meanwhile
        catch (System.ComponentModel.Win32Exception) { }
    }

    /// <summary>True when the process exited within <paramref name="wait"/>.</summary>
    public static async Task<bool> ExitsWithinAsync(Process process, TimeSpan wait)
    {
        using var limit = new CancellationTokenSource(wait);
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) { return false; }
    }
}
