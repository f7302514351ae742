namespace RecoveryConsole.Orchestration.Tests.Support;

/// <summary>Polls until something another thread does becomes true (a background service's effect), or times out saying what.</summary>
public static class Eventually
{
    public static async Task HoldsAsync(Func<bool> condition, string what, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Never held: {what}");
            await Task.Delay(25);
        }
    }
}
