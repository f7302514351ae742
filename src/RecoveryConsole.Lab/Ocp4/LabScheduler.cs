namespace RecoveryConsole.Lab.Ocp4;

/// <summary>
/// The simulated cluster's pending happenings (a container finishing its shutdown, a kubelet picking up a
/// certificate), each due at a point of real time. Nothing runs on a timer: <see cref="Ocp4Cluster"/> catches up
/// lazily, in due order, whenever someone looks (a command, an API request, a health check), so a fake clock
/// makes the whole simulation deterministic.
/// </summary>
internal sealed class LabScheduler
{
    private readonly PriorityQueue<(string What, Action<DateTimeOffset> Action), (DateTimeOffset Due, long Sequence)> _queue = new();
    private long _sequence;

    public int Count => _queue.Count;

    public void At(DateTimeOffset due, string what, Action<DateTimeOffset> action) =>
        _queue.Enqueue((what, action), (due, ++_sequence));

    public DateTimeOffset? NextDue => _queue.TryPeek(out _, out var priority) ? priority.Due : null;

    public bool TryTakeDue(DateTimeOffset now, out DateTimeOffset due, out Action<DateTimeOffset> action)
    {
        if (_queue.TryPeek(out _, out var priority) && priority.Due <= now)
        {
            var item = _queue.Dequeue();
            due = priority.Due;
            action = item.Action;
            return true;
        }
        due = default;
        action = null!;
        return false;
    }

    public void Clear() => _queue.Clear();
}
