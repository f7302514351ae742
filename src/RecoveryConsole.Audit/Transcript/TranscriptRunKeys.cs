using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace RecoveryConsole.Audit.Transcript;

/// <summary>
/// Runs.Id → the run's <see cref="TranscriptKey"/> (table TranscriptRuns). A key is given inside the transaction that
/// stores the run's first lines and kept for good (runs are never deleted), so once committed it may be remembered here:
/// one instance per database, only committed keys, so a rolled-back batch leaves nothing behind.
/// </summary>
public sealed class TranscriptRunKeys
{
    private readonly ConcurrentDictionary<Guid, long> _committed = new();

    /// <summary>The run's key, or null when it has no stored line (as seen by <paramref name="transaction"/>).</summary>
    internal async Task<TranscriptKey?> FindAsync(SqliteConnection connection, SqliteTransaction? transaction, Guid runId,
        CancellationToken cancellationToken)
    {
        if (_committed.TryGetValue(runId, out var known)) return new TranscriptKey(known);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT RunKey FROM TranscriptRuns WHERE RunId = $run";
        command.Parameters.AddWithValue("$run", runId.ToByteArray());
        if (await command.ExecuteScalarAsync(cancellationToken) is not long key) return null;
        _committed.TryAdd(runId, key);
        return new TranscriptKey(key);
    }

    /// <summary>The keys of <paramref name="runIds"/> inside the writer's transaction, new ones given; call
    /// <see cref="Remember"/> with the result once that transaction has committed.</summary>
    internal Dictionary<Guid, TranscriptKey> KeysForWriting(SqliteConnection connection, SqliteTransaction transaction, IEnumerable<Guid> runIds)
    {
        var keys = new Dictionary<Guid, TranscriptKey>();
        foreach (var runId in runIds)
        {
            if (keys.ContainsKey(runId)) continue;
            if (_committed.TryGetValue(runId, out var known)) { keys[runId] = new TranscriptKey(known); continue; }
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.Parameters.AddWithValue("$run", runId.ToByteArray());
            command.CommandText = "SELECT RunKey FROM TranscriptRuns WHERE RunId = $run";
            if (command.ExecuteScalar() is not long key)
            {
                command.CommandText = "INSERT INTO TranscriptRuns (RunId) VALUES ($run) RETURNING RunKey";
                key = (long)command.ExecuteScalar()!;
            }
            keys[runId] = new TranscriptKey(key);
        }
        return keys;
    }

    internal void Remember(Dictionary<Guid, TranscriptKey> committed)
    {
        foreach (var (runId, key) in committed) _committed.TryAdd(runId, key.RunKey);
    }
}
