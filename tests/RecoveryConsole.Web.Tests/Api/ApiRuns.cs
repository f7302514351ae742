using System.Net;
using System.Text.Json;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Web.Hubs;
using RecoveryConsole.Web.Tests.Support;

namespace RecoveryConsole.Web.Tests.Api;

/// <summary>What the API tests do over and over: start a run, read it until something holds, follow its events to their end.</summary>
internal static class ApiRuns
{
    public static readonly TimeSpan Generous = TimeSpan.FromMinutes(3);

    public static async Task<Guid> StartAsync(ApiClient client, string procedure, string cluster, IReadOnlyDictionary<string, string?> parameters)
    {
        var response = await client.PostAsync("/api/v1/runs", new { procedureId = procedure, cluster, parameters });
        var body = await ApiClient.ExpectAsync(response, HttpStatusCode.Created);
        var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/runs/{id}", response.Headers.Location?.OriginalString);
        return id;
    }

    public static async Task<T> WaitForAsync<T>(ApiClient client, Guid runId, Func<RunView, T?> pick) where T : class
    {
        var deadline = DateTime.UtcNow + Generous;
        while (true)
        {
            var view = await client.GetJsonAsync<RunView>($"/api/v1/runs/{runId}");
            if (pick(view) is { } found) return found;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Run {runId} is {view.Status} ({view.StatusReason}); the condition did not hold.");
            await Task.Delay(50);
        }
    }

    /// <summary>Reads the NDJSON stream until the server ends it; fails if it does not end by itself in time.</summary>
    public static async Task<List<RunStreamEvent>> FollowToEndAsync(ApiClient client, Guid runId, long after = 0, Func<RunStreamEvent, Task>? onEvent = null)
    {
        using var timeout = new CancellationTokenSource(Generous);
        using var response = await client.Http.GetAsync($"/api/v1/runs/{runId}/events?after={after}", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        var events = new List<RunStreamEvent>();
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            var e = JsonSerializer.Deserialize<RunStreamEvent>(line, ApiClient.Json)!;
            events.Add(e);
            if (onEvent is not null) await onEvent(e);
        }
        return events;
    }

    public static RunView LastState(IEnumerable<RunStreamEvent> events) => events.Last(e => e.Run is not null).Run!;

    public static long LastSequence(IEnumerable<RunStreamEvent> events) =>
        events.Where(e => e.Lines is { Count: > 0 }).Select(e => e.Lines![^1].Sequence).DefaultIfEmpty(0).Max();
}
