using Microsoft.Data.Sqlite;
using RecoveryConsole.Audit.Storage;
using RecoveryConsole.Orchestration.Transcript;

namespace RecoveryConsole.Audit.Transcript;

/// <summary>
/// Windows of a stored transcript on raw ADO.NET (no EF materialisation per row). A run's lines are one range of
/// TranscriptLines' key (<see cref="TranscriptKey"/>) and sequences are dense per run (see README "One output line's
/// way"), so any window of the unfiltered view of a million-line run is a key seek; a filtered view pages with OFFSET
/// over the run's range. Each call reads one snapshot (a read transaction), so a count and the sequence it covers agree
/// while the writer appends.
/// </summary>
public sealed class TranscriptQuery(AuditStoreOptions options, TranscriptRunKeys runKeys) : ITranscriptQuery
{
    private const string InRun = "l.Id BETWEEN $first AND $last";

    public async Task<TranscriptCount> CountAsync(Guid runId, TranscriptFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var connection = await TranscriptRows.OpenAsync(options.ConnectionString, cancellationToken);
        await using var snapshot = TranscriptRows.Snapshot(connection);
        if (await runKeys.FindAsync(connection, snapshot, runId, cancellationToken) is not { } key) return new TranscriptCount(0, 0);
        await using var last = Command(connection, key, $"SELECT l.Id FROM TranscriptLines l WHERE {InRun} ORDER BY l.Id DESC LIMIT 1", snapshot);
        var upTo = await TranscriptRows.ScalarAsync(last, cancellationToken) is var id and > 0 ? TranscriptKey.SequenceOf(id) : 0;
        if (filter.IsNone) return new TranscriptCount(checked((int)upTo), upTo);
        await using var count = Command(connection, key, "", snapshot);
        count.CommandText = $"SELECT count(*) FROM TranscriptLines l WHERE {InRun}" + TranscriptFilterSql.Conditions(filter, count);
        return new TranscriptCount(checked((int)await TranscriptRows.ScalarAsync(count, cancellationToken)), upTo);
    }

    public async Task<IReadOnlyList<TranscriptLine>> PageAsync(Guid runId, TranscriptFilter filter, int skip, int take, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (take <= 0 || skip < 0) return [];
        await using var connection = await TranscriptRows.OpenAsync(options.ConnectionString, cancellationToken);
        await using var snapshot = TranscriptRows.Snapshot(connection);
        if (await runKeys.FindAsync(connection, snapshot, runId, cancellationToken) is not { } key) return [];
        await using var command = Command(connection, key, "", snapshot);
        command.Parameters.AddWithValue("$take", take);
        command.Parameters.AddWithValue("$skip", skip);
        command.CommandText = filter.IsNone
            ? $"SELECT {TranscriptRows.Columns} FROM TranscriptLines l WHERE l.Id > $first + $skip AND l.Id <= $last ORDER BY l.Id LIMIT $take"
            : $"SELECT {TranscriptRows.Columns} FROM TranscriptLines l WHERE {InRun}{TranscriptFilterSql.Conditions(filter, command)} " +
              "ORDER BY l.Id LIMIT $take OFFSET $skip";
        return await TranscriptRows.ReadAllAsync(command, runId, cancellationToken);
    }

    public async Task<int?> IndexOfAsync(Guid runId, TranscriptFilter filter, long sequence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (sequence is < 0 or > TranscriptKey.MaxSequence) return null;
        await using var connection = await TranscriptRows.OpenAsync(options.ConnectionString, cancellationToken);
        await using var snapshot = TranscriptRows.Snapshot(connection);
        if (await runKeys.FindAsync(connection, snapshot, runId, cancellationToken) is not { } key) return null;
        await using var exists = Command(connection, key, "", snapshot);
        exists.Parameters.AddWithValue("$line", key.Of(sequence));
        exists.CommandText = "SELECT count(*) FROM TranscriptLines l WHERE l.Id = $line" + TranscriptFilterSql.Conditions(filter, exists);
        if (await TranscriptRows.ScalarAsync(exists, cancellationToken) == 0) return null;
        if (filter.IsNone) return checked((int)(sequence - 1));
        await using var before = Command(connection, key, "", snapshot);
        before.Parameters.AddWithValue("$line", key.Of(sequence));
        before.CommandText = "SELECT count(*) FROM TranscriptLines l WHERE l.Id >= $first AND l.Id < $line" + TranscriptFilterSql.Conditions(filter, before);
        return checked((int)await TranscriptRows.ScalarAsync(before, cancellationToken));
    }

    public async Task<IReadOnlyList<string>> HostsAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var connection = await TranscriptRows.OpenAsync(options.ConnectionString, cancellationToken);
        await using var snapshot = TranscriptRows.Snapshot(connection);
        if (await runKeys.FindAsync(connection, snapshot, runId, cancellationToken) is not { } key) return [];
        await using var command = Command(connection, key, $"SELECT DISTINCT l.Host FROM TranscriptLines l WHERE {InRun} AND l.Host <> '' ORDER BY l.Host", snapshot);
        var hosts = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) hosts.Add(reader.GetString(0));
        return hosts;
    }

    public Task<TranscriptHits> SearchRunAsync(Guid runId, TranscriptFilter filter, string text, int take, CancellationToken cancellationToken) =>
        TranscriptSearch.InRunAsync(options.ConnectionString, runKeys, runId, filter, TranscriptSearchText.Normalize(text), take, cancellationToken);

    public Task<TranscriptHits> SearchAllAsync(string text, int take, CancellationToken cancellationToken) =>
        TranscriptSearch.AcrossRunsAsync(options.ConnectionString, TranscriptSearchText.Normalize(text), take, cancellationToken);

    /// <summary>A command over one run's lines: <c>$first</c> and <c>$last</c> bound to its key range.</summary>
    internal static SqliteCommand Command(SqliteConnection connection, TranscriptKey key, string sql, SqliteTransaction? snapshot = null)
    {
        var command = connection.CreateCommand();
        command.Transaction = snapshot;
        command.CommandText = sql;
        command.Parameters.AddWithValue("$first", key.Base);
        command.Parameters.AddWithValue("$last", key.Last);
        return command;
    }
}
