using System.Diagnostics;
using System.Text.RegularExpressions;

namespace RecoveryConsole.Web.Tests.Support;

/// <summary>
/// The built console as a real child process (the RecoveryConsole.Web app host next to the tests) on 127.0.0.1 with an
/// ephemeral port and a given data directory, so a test can SIGKILL it and start it again on the same data.
/// </summary>
public sealed partial class ChildConsole : IAsyncDisposable
{
    private readonly Process _process;

    private ChildConsole(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<ChildConsole> StartAsync(string dataDirectory, string proceduresFolder)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "RecoveryConsole.Web"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var arg in new[]
        {
            "--urls=http://127.0.0.1:0",
            $"--Console:DataDirectory={dataDirectory}",
            $"--Console:ProceduresFolder={proceduresFolder}",
            "--Console:Lab:Enabled=true",
            "--Console:Lab:TimeScale=1",
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information",
        }) start.ArgumentList.Add(arg);

        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = start };
        // Both pipes are drained for the process's whole life, so it never blocks on a full pipe; the log itself is not
        // kept (the first start prints the admin password once).
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null && Listening().Match(e.Data) is { Success: true } m) listening.TrySetResult(new Uri(m.Groups[1].Value));
        };
        process.ErrorDataReceived += (_, _) => { };
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException($"The console exited with {process.ExitCode} before listening."));
        process.EnableRaisingEvents = true;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            return new ChildConsole(process, await listening.Task.WaitAsync(TimeSpan.FromSeconds(90)));
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>SIGKILL: no shutdown code runs, nothing queued is flushed.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) await KillAsync();
        _process.Dispose();
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();
}
