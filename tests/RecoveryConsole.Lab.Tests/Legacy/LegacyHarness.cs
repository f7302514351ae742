using System.Text.Json.Nodes;
using RecoveryConsole.Lab.Clusters;
using RecoveryConsole.Lab.Health;
using RecoveryConsole.Lab.Scenarios;
using RecoveryConsole.Lab.Tests.Ocp4;
using RecoveryConsole.Orchestration.Clusters;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Lab.Tests.Legacy;

/// <summary>
/// A 3.11 or 4.2/4.3 lab cluster on virtual time, driven as the engine drives it: commands through the host transport,
/// requests through the Kubernetes API interface.
/// </summary>
internal sealed class LegacyHarness(ClusterInfo info, string? scenario = null)
    : LabClusterHarness(new LabOptions { TimeScale = 1.0 }, info, scenario)
{
    /// <summary>Replaces a file the way an operator without an editor does: filter it into /tmp, then copy it back as root.</summary>
    public async Task RewriteAsync(string host, string file, string dropPattern, string? appendLine = null)
    {
        await MustAsync(host, $"grep -v '{dropPattern}' {file} > /tmp/rewrite.tmp");
        if (appendLine is not null) await MustAsync(host, $"echo '{appendLine}' >> /tmp/rewrite.tmp");
        await MustAsync(host, $"sudo cp /tmp/rewrite.tmp {file}");
    }

    /// <summary>Writes a whole file (what an operator does in vi): line by line into /tmp, then copied into place as root.</summary>
    public async Task WriteAsync(string host, string file, string content)
    {
        await MustAsync(host, ": > /tmp/rewrite.tmp");
        foreach (var line in content.TrimEnd('\n').Split('\n')) await MustAsync(host, $"echo \"{line}\" >> /tmp/rewrite.tmp");
        await MustAsync(host, $"sudo cp /tmp/rewrite.tmp {file}");
    }

    public string Read(string host, string file) =>
        Cluster.Host(host).FileSystem.TryReadFile(file, out var text) ? text : throw new FileNotFoundException(file);
}
