using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace RecoveryConsole.Benchmarks.Support;

/// <summary>
/// The console's side of <see cref="ViewerClients"/>: this executable started again in viewer-client mode for one run, its
/// JSON lines read back. The console's own CPU and memory are then the console's alone.
/// </summary>
public sealed class ViewerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<ViewerReport> _viewers = [];
    private readonly TaskCompletionSource<ViewerReport> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<ViewerReport> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _reading;

    public IReadOnlyList<ViewerReport> Viewers => _viewers;

    private ViewerProcess(Process process)
    {
        _process = process;
        _reading = Task.Run(ReadAsync);
    }

    /// <summary>Starts <paramref name="count"/> clients following <paramref name="runId"/> on <paramref name="hubPath"/>; returns once they listen.</summary>
    public static async Task<ViewerProcess> StartAsync(WebBench bench, string hubPath, Guid runId, int count, long expectedLast, TimeSpan wait,
        HubViewer.PausePlan? pause = null)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("No path to this executable.");
        var info = new ProcessStartInfo(self) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        // Started as `dotnet RecoveryConsole.Benchmarks.dll`: the host needs the assembly again.
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") info.ArgumentList.Add(typeof(ViewerProcess).Assembly.Location);
        foreach (var a in new[]
                 {
                     ViewerClients.Mode, new Uri(bench.BaseAddress, hubPath).ToString(), runId.ToString(), count.ToString(CultureInfo.InvariantCulture),
                     expectedLast.ToString(CultureInfo.InvariantCulture), wait.TotalSeconds.ToString(CultureInfo.InvariantCulture),
                 })
            info.ArgumentList.Add(a);
        if (pause is not null)
            info.ArgumentList.Add(FormattableString.Invariant($"pause={pause.AfterLines}:{pause.For.TotalSeconds}"));
        var process = Process.Start(info) ?? throw new InvalidOperationException("The viewer-client process did not start.");
        var viewers = new ViewerProcess(process);
        try
        {
            await process.StandardInput.WriteLineAsync(bench.Cookies.GetCookieHeader(bench.BaseAddress));
            await process.StandardInput.FlushAsync();
            await viewers._ready.Task.WaitAsync(TimeSpan.FromSeconds(180));
            return viewers;
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            await viewers.DisposeAsync();
            throw;
        }
    }

    /// <summary>The process's CPU so far (user and system).</summary>
    public TimeSpan Cpu
    {
        get
        {
            try { return _process.TotalProcessorTime; }
            catch (InvalidOperationException) { return TimeSpan.Zero; } // exited
        }
    }

    /// <summary>The clients' CPU when they were ready (ms): subtract from <see cref="ViewerReport.CpuMs"/> of the end.</summary>
    public double ReadyCpuMs => _ready.Task.Result.CpuMs ?? 0;

    /// <summary>Waits until every client has its last line (or the process's own wait ran out) and the viewers are reported.</summary>
    public Task<ViewerReport> DoneAsync() => _done.Task.WaitAsync(TimeSpan.FromMinutes(15));

    private async Task ReadAsync()
    {
        try
        {
            while (await _process.StandardOutput.ReadLineAsync() is { } line)
            {
                if (!line.StartsWith('{')) { Console.WriteLine($"    viewer clients: {line}"); continue; }
                var report = JsonSerializer.Deserialize<ViewerReport>(line, ViewerReport.Json)!;
                switch (report.Event)
                {
                    case "ready": _ready.TrySetResult(report); break;
                    case "viewer": _viewers.Add(report); break;
                    case "done": _done.TrySetResult(report); break;
                }
            }
            var ended = new InvalidOperationException($"The viewer-client process ended ({(_process.HasExited ? _process.ExitCode : -1)}) before reporting.");
            _ready.TrySetException(ended);
            _done.TrySetException(ended);
        }
        catch (Exception e)
        {
            _ready.TrySetException(e);
            _done.TrySetException(e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try { await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30)); }
        catch (TimeoutException) { _process.Kill(entireProcessTree: true); }
        await _reading.ContinueWith(_ => { }, TaskScheduler.Default);
        _process.Dispose();
    }
}
