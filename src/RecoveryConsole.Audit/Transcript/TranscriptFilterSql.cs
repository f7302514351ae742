using Microsoft.Data.Sqlite;
using RecoveryConsole.Orchestration.Transcript;

namespace RecoveryConsole.Audit.Transcript;

/// <summary>
/// A <see cref="TranscriptFilter"/> as SQL conditions on TranscriptLines (alias <c>l</c>), with its parameters. The step
/// test compares prefixes with substr rather than LIKE, whose <c>_</c> and <c>%</c> a step name may contain.
/// </summary>
internal static class TranscriptFilterSql
{
    public static string Conditions(TranscriptFilter filter, SqliteCommand command)
    {
        var sql = "";
        if (filter.Step == TranscriptFilter.ClusterLevel) sql += " AND l.StepPath = ''";
        else if (filter.Step == TranscriptFilter.PreflightPath)
            sql += $" AND substr(l.StepPath, 1, {TranscriptFilter.PreflightPath.Length}) = '{TranscriptFilter.PreflightPath}'";
        else if (filter.Step != TranscriptFilter.All)
        {
            sql += " AND (l.StepPath = $step OR substr(l.StepPath, 1, $stepPrefixLength) IN ($stepChild, $stepInstance))";
            command.Parameters.AddWithValue("$step", filter.Step);
            command.Parameters.AddWithValue("$stepPrefixLength", filter.Step.Length + 1);
            command.Parameters.AddWithValue("$stepChild", filter.Step + "/");
            command.Parameters.AddWithValue("$stepInstance", filter.Step + "[");
        }
        if (filter.Host == TranscriptFilter.ClusterLevel) sql += " AND l.Host = ''";
        else if (filter.Host != TranscriptFilter.All)
        {
            sql += " AND l.Host = $host";
            command.Parameters.AddWithValue("$host", filter.Host);
        }
        if (filter.Stream is { } stream)
        {
            sql += " AND l.Stream = $stream";
            command.Parameters.AddWithValue("$stream", (int)stream);
        }
        return sql;
    }
}
