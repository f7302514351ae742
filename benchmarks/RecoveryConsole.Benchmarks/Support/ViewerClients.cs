using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;

namespace RecoveryConsole.Benchmarks.Support;

/// <summary>
/// The benchmark executable's hidden <c>--viewer-client</c> mode: N real SignalR clients of one run in a process of their
/// own, so the console's step time, CPU and memory are measured apart from theirs (they still share the machine's cores).
/// Args: hub URL, run id, count, last sequence expected, seconds to wait, optionally <c>pause=LINES:SECONDS</c> (the first
/// client stops reading its socket after LINES lines for SECONDS). The session cookie comes on stdin, so it is in no
/// process list. Reports JSON lines on stdout (<see cref="ViewerReport"/>): ready, then one per viewer, then done.
/// </summary>
public static class ViewerClients
{
    public const string Mode = "--viewer-client";

    public static async Task<int> RunAsync(string[] args)
    {
        var hub = new Uri(args[1]);
        var runId = Guid.Parse(args[2]);
        var count = int.Parse(args[3], CultureInfo.InvariantCulture);
        var expected = long.Parse(args[4], CultureInfo.InvariantCulture);
        var wait = TimeSpan.FromSeconds(double.Parse(args[5], CultureInfo.InvariantCulture));
        var pause = args.Skip(6).FirstOrDefault(a => a.StartsWith("pause=", StringComparison.Ordinal)) is { } p
            ? new HubViewer.PausePlan(long.Parse(p[6..p.IndexOf(':')], CultureInfo.InvariantCulture),
                TimeSpan.FromSeconds(double.Parse(p[(p.IndexOf(':') + 1)..], CultureInfo.InvariantCulture)))
            : null;
        var baseAddress = new Uri(hub.GetLeftPart(UriPartial.Authority));
        var cookies = new CookieContainer();
        foreach (var cookie in (Console.ReadLine() ?? "").Split("; ", StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = cookie.IndexOf('=');
            cookies.Add(baseAddress, new Cookie(cookie[..eq], cookie[(eq + 1)..]));
        }

        var clients = new List<HubViewer>();
        try
        {
            for (var i = 0; i < count; i += 20)
                clients.AddRange(await Task.WhenAll(Enumerable.Range(i, Math.Min(20, count - i))
                    .Select(n => HubViewer.ConnectAsync(baseAddress, cookies, hub.AbsolutePath, n == 0 ? pause : null))));
            foreach (var c in clients) c.Follow(runId, expected);
            // The baseline's hub sends no state first: the console waits until its fan-out counts the viewers instead.
            if (hub.AbsolutePath != LegacyFollowHub.Path) await Task.WhenAll(clients.Select(c => c.Ready)).WaitAsync(TimeSpan.FromSeconds(120));
            Write(new ViewerReport { Event = "ready", Clients = clients.Count, CpuMs = CpuMs() });

            await Task.WhenAll(clients.Select(c => c.Complete)).WaitAsync(wait).ContinueWith(_ => { }, TaskScheduler.Default);
            var all = new LatencyHistogram();
            var cpu = CpuMs();
            for (var i = 0; i < clients.Count; i++)
            {
                var c = clients[i];
                if (c.PausedAt is null) all.AddAll(c.Latencies);
                Write(new ViewerReport
                {
                    Event = "viewer", Index = i, Lines = c.Lines, LastSequence = c.LastSequence, OutOfOrder = c.OutOfOrder,
                    Disconnected = c.Disconnected, Error = c.Error, CompletedAt = c.CompletedAt, PausedAt = c.PausedAt,
                    ResumedAt = c.ResumedAt, LinesWhenPaused = c.PausedAt is null ? null : c.LinesWhenPaused, LongestGapMs = c.LongestGap.TotalMilliseconds,
                });
            }
            Write(new ViewerReport
            {
                Event = "done", Clients = clients.Count, CpuMs = cpu, P50Ms = all.Percentile(0.5), P99Ms = all.Percentile(0.99),
                MaxMs = all.MaxMs, Samples = all.Count, Histogram = all.ToPairs(),
            });
        }
        finally
        {
            await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));
        }
        return 0;
    }

    private static double CpuMs()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime.TotalMilliseconds;
    }

    private static void Write(ViewerReport report)
    {
        Console.Out.WriteLine(JsonSerializer.Serialize(report, ViewerReport.Json));
        Console.Out.Flush();
    }
}

/// <summary>One JSON line of the viewer-client process.</summary>
public sealed record ViewerReport
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public string Event { get; init; } = "";
    public int? Clients { get; init; }
    public double? CpuMs { get; init; }
    public int? Index { get; init; }
    public long? Lines { get; init; }
    public long? LastSequence { get; init; }
    public bool? OutOfOrder { get; init; }
    public bool? Disconnected { get; init; }
    public string? Error { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public DateTimeOffset? PausedAt { get; init; }
    public DateTimeOffset? ResumedAt { get; init; }
    public long? LinesWhenPaused { get; init; }
    public double? LongestGapMs { get; init; }
    public double? P50Ms { get; init; }
    public double? P99Ms { get; init; }
    public double? MaxMs { get; init; }
    public long? Samples { get; init; }
    public long[]? Histogram { get; init; }
}
