using Microsoft.Data.Sqlite;
using RecoveryConsole.Audit.Storage;
using RecoveryConsole.Orchestration.Transcript;

namespace RecoveryConsole.Audit.Transcript;

/// <summary>
/// Windows of a stored transcript on raw ADO.NET (no EF materialisation per row). The unfiltered view is paged by sequence
/// (dense per run, see README "One output line's way"), so any window of a million-line run is an index seek; a filtered
/// view pages with OFFSET over the run's key. Each call reads one snapshot (a read transaction), so a count and the
/// sequence it covers agree while the writer appends.
/// </summary>
public sealed class TranscriptQuery(AuditStoreOptions options) : ITranscriptQuery
{
    public async Task<TranscriptCount> CountAsync(Guid runId, TranscriptFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var connection = await TranscriptRows.OpenAsync(options.ConnectionString, cancellationToken);
        await using var snapshot = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var last = Command(connection, runId, "SELECT max(l.Sequence) FROM TranscriptLines l WHERE l.RunId = $run", snapshot);
        var upTo = await TranscriptRows.ScalarAsync(last, cancellationToken);
        if (filter.IsNone) return new TranscriptCount(checked((int)upTo), upTo);
        await using var count = Command(connection, runId, "", snapshot);
        count.CommandText = "SELECT count(*) FROM TranscriptLines l WHERE l.RunId = $run" + TranscriptFilterSql.Conditions(filter, count);
        return new TranscriptCount(checked((int)await TranscriptRows.ScalarAsync(count, cancellationToken)), upTo);
    }

    public async Task<IReadOnlyList<TranscriptLine>> PageAsync(Guid runId, TranscriptFilter filter, int skip, int take, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (take <= 0 || skip < 0) return [];
        await using var connection = await TranscriptRows.OpenAsync(options.ConnectionString, cancellationToken);
        await using var command = Command(connection, runId, "");
        command.Parameters.AddWithValue("$take", take);
        command.Parameters.AddWithValue("$skip", skip);
        command.CommandText = filter.IsNone
            ? $"SELECT {TranscriptRows.Columns} FROM TranscriptLines l WHERE l.RunId = $run AND l.Sequence > $skip ORDER BY l.Sequence LIMIT $take"
            : $"SELECT {TranscriptRows.Columns} FROM TranscriptLines l WHERE l.RunId = $run{TranscriptFilterSql.Conditions(filter, command)} " +
              "ORDER BY l.Sequence LIMIT $take OFFSET $skip";
        return await TranscriptRows.ReadAllAsync(command, cancellationToken);
    }

    public async Task<int?> IndexOfAsync(Guid runId, TranscriptFilter filter, long sequence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var connection = await TranscriptRows.OpenAsync(options.ConnectionString, cancellationToken);
        await using var snapshot = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var exists = Command(connection, runId, "", snapshot);
        exists.Parameters.AddWithValue("$sequence", sequence);
        exists.CommandText = "SELECT count(*) FROM TranscriptLines l WHERE l.RunId = $run AND l.Sequence = $sequence" + TranscriptFilterSql.Conditions(filter, exists);
        if (await TranscriptRows.ScalarAsync(exists, cancellationToken) == 0) return null;
        if (filter.IsNone) return checked((int)(sequence - 1));
        await using var before = Command(connection, runId, "", snapshot);
        before.Parameters.AddWithValue("$sequence", sequence);
        before.CommandText = "SELECT count(*) FROM TranscriptLines l WHERE l.RunId = $run AND l.Sequence < $sequence" + TranscriptFilterSql.Conditions(filter, before);
        return checked((int)await TranscriptRows.ScalarAsync(before, cancellationToken));
    }

    public async Task<IReadOnlyList<string>> HostsAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var connection = await TranscriptRows.OpenAsync(options.ConnectionString, cancellationToken);
        await using var command = Command(connection, runId, "SELECT DISTINCT l.Host FROM TranscriptLines l WHERE l.RunId = $run AND l.Host <> '' ORDER BY l.Host");
        var hosts = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) hosts.Add(reader.GetString(0));
        return hosts;
    }

    public Task<TranscriptHits> SearchRunAsync(Guid runId, TranscriptFilter filter, string text, int take, CancellationToken cancellationToken) =>
        TranscriptSearch.InRunAsync(options.ConnectionString, runId, filter, TranscriptSearchText.Normalize(text), take, cancellationToken);

    public Task<TranscriptHits> SearchAllAsync(string text, int take, CancellationToken cancellationToken) =>
        TranscriptSearch.AcrossRunsAsync(options.ConnectionString, TranscriptSearchText.Normalize(text), take, cancellationToken);

    internal static SqliteCommand Command(SqliteConnection connection, Guid runId, string sql, SqliteTransaction? snapshot = null)
    {
        var command = connection.CreateCommand();
        command.Transaction = snapshot;
        command.CommandText = sql;
        command.Parameters.AddWithValue("$run", runId.ToByteArray());
        return command;
    }
}
