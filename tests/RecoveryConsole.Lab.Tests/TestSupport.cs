using RecoveryConsole.Lab.Hosts;
using RecoveryConsole.Lab.Shell;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Lab.Tests;

/// <summary>Collects output lines; thread-safe because pipeline stages write concurrently.</summary>
internal sealed class RecordingSink(Action<RecordingSink>? onLine = null) : IOutputSink
{
    private readonly object _gate = new();
    private readonly List<(OutputStream Stream, string Text)> _lines = [];

    public void Line(OutputStream stream, string text)
    {
        lock (_gate) _lines.Add((stream, text));
        onLine?.Invoke(this);
    }

    public int Count
    {
        get { lock (_gate) return _lines.Count; }
    }

    public List<string> Stdout => Of(OutputStream.Stdout);
    public List<string> Stderr => Of(OutputStream.Stderr);

    private List<string> Of(OutputStream stream)
    {
        lock (_gate) return _lines.Where(l => l.Stream == stream).Select(l => l.Text).ToList();
    }
}

/// <summary>Only counts lines, so a million of them cost no memory.</summary>
internal sealed class CountingSink(Action<long>? onLine = null) : IOutputSink
{
    private long _count;

    public long Count => Interlocked.Read(ref _count);
    public string? First { get; private set; }
    public string? Last { get; private set; }

    public void Line(OutputStream stream, string text)
    {
        var n = Interlocked.Increment(ref _count);
        First ??= text;
        Last = text;
        onLine?.Invoke(n);
    }
}

/// <summary>A clock tests move by hand; timers still use real time, which the lab only needs for sleep.</summary>
internal sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public ManualTimeProvider() : this(new DateTimeOffset(2024, 9, 1, 8, 0, 0, TimeSpan.Zero))
    {
    }

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}

/// <summary>A shell on one control-plane host with the default commands.</summary>
internal sealed class ShellHarness
{
    public ShellHarness(double timeScale = 0.001, TimeProvider? time = null)
    {
        Host = new LabHost("master-0", "192.0.2.10", [HostRoles.ControlPlane]);
        Host.FileSystem.CreateDirectory(Host.HomeDirectory);
        Host.FileSystem.CreateDirectory("/tmp");
        Commands = LabCommandRegistry.CreateDefault();
        Shell = new LabShell(Commands, new LabClock(time ?? TimeProvider.System, timeScale));
    }

    public LabHost Host { get; }
    public LabCommandRegistry Commands { get; }
    public LabShell Shell { get; }

    public async Task<(int Code, RecordingSink Sink)> RunAsync(string script, CancellationToken cancellationToken = default)
    {
        var sink = new RecordingSink();
        var code = await Shell.RunAsync(script, Host, sink, cancellationToken);
        return (code, sink);
    }
}
