namespace RecoveryConsole.Web.Runs;

/// <summary>
/// The cluster the current page is about (per browser circuit), so the top bar can show SIMULATED whenever it is
/// a simulated one: a drill must never be mistaken for the real thing.
/// </summary>
public sealed class ViewedCluster
{
    public string? Name { get; private set; }
    public bool IsSimulated { get; private set; }
    public event Action? Changed;

    public void Set(string? name, bool isSimulated)
    {
        if (Name == name && IsSimulated == isSimulated) return;
        Name = name;
        IsSimulated = isSimulated;
        Changed?.Invoke();
    }

    public void Clear() => Set(null, false);
}
