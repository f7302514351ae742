using System.Diagnostics;

namespace RecoveryConsole.Transports.Ssh.Tests.Fixtures;

/// <summary>Looks at this machine's processes: the test sshd runs here, so its sessions' processes are visible.</summary>
public static class LocalProcesses
{
    /// <summary>pgrep -f: pids whose full command line matches the extended regex.</summary>
    public static IReadOnlyList<int> Matching(string pattern)
    {
        var info = new ProcessStartInfo("pgrep") { RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add("-f");
        info.ArgumentList.Add(pattern);
        using var p = Process.Start(info)!;
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList();
    }

    /// <summary>Polls until <paramref name="condition"/> holds; a bounded wait for something to happen, not a timing assertion.</summary>
    public static async Task<bool> EventuallyAsync(Func<bool> condition, TimeSpan? within = null)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < (within ?? TimeSpan.FromSeconds(30)))
        {
            if (condition()) return true;
            await Task.Delay(50);
        }
        return condition();
    }
}
