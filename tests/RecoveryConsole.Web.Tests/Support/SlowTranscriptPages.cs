using Microsoft.Extensions.DependencyInjection;
using RecoveryConsole.Audit.Transcript;
using RecoveryConsole.Orchestration.Transcript;

namespace RecoveryConsole.Web.Tests.Support;

/// <summary>
/// The console's own transcript query, except that every page of rows takes <see cref="Delay"/> longer, like a store busy
/// with other work: whatever the page shows while it waits for rows becomes visible to a test.
/// </summary>
public sealed class SlowTranscriptPages(TimeSpan delay) : ITranscriptQuery
{
    private ITranscriptQuery? _inner;

    public TimeSpan Delay { get; } = delay;

    /// <summary>Replaces the console's ITranscriptQuery with this one around the real query.</summary>
    public void Install(IServiceCollection services)
    {
        services.AddSingleton<TranscriptQuery>();
        services.AddSingleton<ITranscriptQuery>(sp => { _inner = sp.GetRequiredService<TranscriptQuery>(); return this; });
    }

    private ITranscriptQuery Inner => _inner ?? throw new InvalidOperationException("Not installed.");

    public async Task<IReadOnlyList<TranscriptLine>> PageAsync(Guid runId, TranscriptFilter filter, int skip, int take, CancellationToken cancellationToken)
    {
        await Task.Delay(Delay, cancellationToken);
        return await Inner.PageAsync(runId, filter, skip, take, cancellationToken);
    }

    public Task<TranscriptCount> CountAsync(Guid runId, TranscriptFilter filter, CancellationToken cancellationToken) => Inner.CountAsync(runId, filter, cancellationToken);
    public Task<int?> IndexOfAsync(Guid runId, TranscriptFilter filter, long sequence, CancellationToken cancellationToken) => Inner.IndexOfAsync(runId, filter, sequence, cancellationToken);
    public Task<IReadOnlyList<string>> HostsAsync(Guid runId, CancellationToken cancellationToken) => Inner.HostsAsync(runId, cancellationToken);
    public Task<TranscriptHits> SearchRunAsync(Guid runId, TranscriptFilter filter, string text, int take, CancellationToken cancellationToken) =>
        Inner.SearchRunAsync(runId, filter, text, take, cancellationToken);
    public Task<TranscriptHits> SearchAllAsync(string text, int take, CancellationToken cancellationToken) => Inner.SearchAllAsync(text, take, cancellationToken);
}
