using System.Diagnostics;

namespace RecoveryConsole.Benchmarks.Support;

/// <summary>Small measuring helpers shared by the benchmarks.</summary>
public static class Measure
{
    public static double Percentile(List<double> sortedValues, double p) =>
        sortedValues.Count == 0 ? double.NaN : sortedValues[Math.Min(sortedValues.Count - 1, (int)(p * sortedValues.Count))];

    /// <summary>Managed heap after a full, compacting collection (large objects too), MiB: what is still alive.</summary>
    public static long ManagedMiB()
    {
        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(true) / 1024 / 1024;
    }

    /// <summary>After a full compacting collection: what the GC holds and why (fragmentation, pinning, committed but unused).</summary>
    public static string HeapDetail()
    {
        ManagedMiB();
        var info = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        const long MiB = 1024 * 1024;
        var generations = string.Join(", ", info.GenerationInfo.ToArray().Select((g, i) => $"{(i < 3 ? $"gen{i}" : i == 3 ? "LOH" : "POH")} {g.SizeAfterBytes / MiB}"));
        return $"GC heap {info.HeapSizeBytes / MiB} MiB ({generations}), fragmented {info.FragmentedBytes / MiB} MiB, committed {info.TotalCommittedBytes / MiB} MiB, " +
               $"pinned objects {info.PinnedObjectsCount}, allocated in all {GC.GetTotalAllocatedBytes() / MiB} MiB";
    }

    /// <summary>Resident set of this process, MiB (what the machine pays, not only the managed heap).</summary>
    public static long ResidentMiB()
    {
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        return self.WorkingSet64 / 1024 / 1024;
    }

    public static string Rate(long count, TimeSpan elapsed) => $"{count / elapsed.TotalSeconds:N0}/s";

    public static string TempFolder(string prefix)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"rc-bench-{prefix}-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(folder);
        return folder;
    }
}
