namespace RecoveryConsole.Lab.ApiServer;

/// <summary>One request as the lab server saw it (after authentication), for drills and tests that count attempts.</summary>
public sealed record LabApiRequestRecord(string Method, string Target, string? User);

/// <summary>
/// Fault injection: the next N matching requests fail with a chosen status (503 from an overloaded server,
/// 429 from priority and fairness, 410 for a watch), optionally with Retry-After. Also keeps the recent requests.
/// </summary>
public sealed class LabApiFaults
{
    private const int Remembered = 2000;

    private sealed record Fault(int Status, int? RetryAfterSeconds, Func<LabApiRequestRecord, bool> Matches)
    {
        public int Remaining { get; set; }
    }

    private readonly object _gate = new();
    private readonly List<Fault> _faults = [];
    private readonly Queue<LabApiRequestRecord> _requests = new();

    /// <summary>Fails the next <paramref name="count"/> requests that <paramref name="when"/> selects (all when null).</summary>
    public void FailNext(int count, int status = 503, int? retryAfterSeconds = null, Func<LabApiRequestRecord, bool>? when = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        lock (_gate) _faults.Add(new Fault(status, retryAfterSeconds, when ?? (_ => true)) { Remaining = count });
    }

    /// <summary>The most recent requests (up to 2000), oldest first.</summary>
    public IReadOnlyList<LabApiRequestRecord> Requests
    {
        get { lock (_gate) return [.. _requests]; }
    }

    public int Count(string method, string targetStart) =>
        Requests.Count(r => r.Method == method && r.Target.StartsWith(targetStart, StringComparison.Ordinal));

    internal void Record(LabApiRequestRecord request)
    {
        lock (_gate)
        {
            _requests.Enqueue(request);
            if (_requests.Count > Remembered) _requests.Dequeue();
        }
    }

    internal (int Status, int? RetryAfterSeconds)? Take(LabApiRequestRecord request)
    {
        lock (_gate)
        {
            var fault = _faults.FirstOrDefault(f => f.Remaining > 0 && f.Matches(request));
            if (fault is null) return null;
            if (--fault.Remaining == 0) _faults.Remove(fault);
            return (fault.Status, fault.RetryAfterSeconds);
        }
    }
}
