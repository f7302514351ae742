namespace RecoveryConsole.Transports.Kubernetes.Tests.Support;

/// <summary>Waits for a condition that another thread makes true; the limit only keeps a broken test from hanging.</summary>
internal static class Eventually
{
    public static async Task WaitAsync(Func<bool> condition, string what)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            if (limit.IsCancellationRequested) throw new TimeoutException("Gave up waiting for " + what);
            await Task.Delay(20);
        }
    }

    /// <summary>A token that ends a stuck test instead of hanging the run.</summary>
    public static CancellationToken Guard() => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;
}
