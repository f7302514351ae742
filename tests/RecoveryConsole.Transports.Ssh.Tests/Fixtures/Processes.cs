using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

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

    /// <summary>A sleep duration no other process on this machine has, e.g. "3600.12345678": names one test's remote command.</summary>
    public static string UniqueSleep() =>
        "3600." + Random.Shared.NextInt64(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture);

    /// <summary>The remote <c>sleep <paramref name="duration"/></c> itself (its command line starts with "sleep"; the local ssh's has the whole wrapper).</summary>
    public static IReadOnlyList<int> Sleeping(string duration) => Matching($"^sleep {Regex.Escape(duration)}$");

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
