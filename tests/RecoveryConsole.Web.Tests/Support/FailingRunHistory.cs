using Microsoft.Extensions.DependencyInjection;
using RecoveryConsole.Audit.Runs;
using RecoveryConsole.Orchestration.Runs;

namespace RecoveryConsole.Web.Tests.Support;

/// <summary>
/// The console's own run store, except that listing runs fails like a database that cannot be read while
/// <see cref="Failing"/> is set: a page that lists runs (the history) then throws where it really would.
/// </summary>
public sealed class FailingRunHistory : IRunRepository
{
    public const string Message = "SQLite Error 10: 'disk I/O error' while reading the run history.";
    private IRunRepository? _inner;

    public volatile bool Failing;

    /// <summary>Replaces the console's IRunRepository with this one around the real store.</summary>
    public void Install(IServiceCollection services)
    {
        services.AddSingleton<RunRepository>();
        services.AddSingleton<IRunRepository>(sp => { _inner = sp.GetRequiredService<RunRepository>(); return this; });
    }

    private IRunRepository Inner => _inner ?? throw new InvalidOperationException("Not installed.");

    public Task<IReadOnlyList<Run>> ListAsync(RunQuery query, CancellationToken cancellationToken) =>
        Failing ? throw new IOException(Message) : Inner.ListAsync(query, cancellationToken);

    public Task AddAsync(Run run, CancellationToken cancellationToken) => Inner.AddAsync(run, cancellationToken);
    public Task SaveAsync(Run run, CancellationToken cancellationToken) => Inner.SaveAsync(run, cancellationToken);
    public Task<Run?> GetAsync(Guid id, CancellationToken cancellationToken) => Inner.GetAsync(id, cancellationToken);
    public Task<IReadOnlyList<Run>> ListActiveAsync(CancellationToken cancellationToken) => Inner.ListActiveAsync(cancellationToken);
}
