using System.Globalization;
using System.Text;
using RecoveryConsole.Lab.Hosts;
using RecoveryConsole.Lab.Ocp4.Commands;
using RecoveryConsole.Lab.Shell;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Lab.Legacy.Ocp311;

/// <summary>
/// The etcd container of a master's master-etcd static pod, for <c>oc exec</c>: a shell (the image's /bin/bash) with the
/// basic tools and etcdctl, on the node's /etc/etcd and /var/lib/etcd (the pod's hostPath volumes), so a snapshot saved
/// under /var/lib/etcd lands on that node. etcdctl speaks v2 unless ETCDCTL_API=3; v3 knows endpoint health, snapshot save and snapshot status.
/// </summary>
internal sealed class Ocp311EtcdContainer
{
    private static readonly string[] Valued = ["--endpoints", "--cacert", "--cert", "--key", "-w", "--write-out", "--command-timeout", "--dial-timeout"];
    private readonly Ocp311Cluster _model;
    private readonly LabCommandRegistry _commands;

    public Ocp311EtcdContainer(Ocp311Cluster model)
    {
        _model = model;
        _commands = LabCommandRegistry.CreateDefault().Register("etcdctl", EtcdctlAsync);
    }

    /// <summary>Runs the exec'd command (<c>/bin/bash -c SCRIPT</c> or a plain command) and copies its output to the caller.</summary>
    public async Task<int> RunAsync(LabHost node, IReadOnlyList<string> command, LabCommandContext caller)
    {
        var script = command is [var shell, "-c", var text, ..] && shell is "/bin/bash" or "bash" or "/bin/sh" or "sh"
            ? text
            : string.Join(' ', command.Select(a => "'" + a.Replace("'", @"'\''", StringComparison.Ordinal) + "'"));
        var output = new List<(OutputStream Stream, string Text)>();
        var status = await new LabShell(_commands, caller.Clock).RunAsync(script, node, new Collect(output), caller.CancellationToken);
        foreach (var (stream, line) in output)
        {
            if (stream == OutputStream.Stderr) await caller.ErrAsync(line);
            else await caller.OutAsync(line);
        }
        return status;
    }

    private sealed class Collect(List<(OutputStream, string)> lines) : IOutputSink
    {
        public void Line(OutputStream stream, string text)
        {
            lock (lines) lines.Add((stream, text));
        }
    }

    private async Task<int> EtcdctlAsync(LabCommandContext c)
    {
        if (c.Environment.GetValueOrDefault("ETCDCTL_API") != "3")
        {
            await c.ErrAsync($"No help topic for '{c.Args.FirstOrDefault(a => !a.StartsWith('-')) ?? ""}'");
            return 3;
        }
        var o = CommandOutput.Options.Parse(c.Args, Valued, ["--debug", "--insecure-skip-tls-verify"]);
        if (o.Error is not null)
        {
            await c.ErrAsync($"Error: {o.Error}");
            return 1;
        }
        // The client loads its certificate files before anything else.
        foreach (var file in new[] { o.Value("--cert"), o.Value("--key"), o.Value("--cacert") }.OfType<string>())
        {
            if (!c.Host.FileSystem.FileExists(c.ResolvePath(file)))
            {
                await c.ErrAsync($"Error: open {file}: no such file or directory");
                return 1;
            }
        }
        switch (o.Positional)
        {
            case ["endpoint", "health"]:
                return await HealthAsync(c, o.Value("--endpoints"));
            case ["snapshot", "save", var file]:
                return await SaveAsync(c, o.Value("--endpoints"), file);
            case ["snapshot", "status", var file]:
                return await StatusAsync(c, file, o.Value("-w", "--write-out") ?? "simple");
            default:
                await c.ErrAsync($"Error: the lab's etcd container runs endpoint health, snapshot save and snapshot status, not \"{string.Join(' ', o.Positional)}\"");
                return 1;
        }
    }

    /// <summary>One line per endpoint as given (host:port stays without a scheme); "Error: unhealthy cluster" when one fails.</summary>
    private async Task<int> HealthAsync(LabCommandContext c, string? endpoints)
    {
        var healthy = true;
        foreach (var endpoint in (endpoints ?? "127.0.0.1:2379").Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (Ocp311Commands.Reach(_model, c.Host, endpoints is null ? null : Url(endpoint), out _) is not null && _model.HasQuorum)
                await c.OutAsync($"{endpoint} is healthy: successfully committed proposal: took = 2.364351ms");
            else
            {
                healthy = false;
                await c.ErrAsync($"{endpoint} is unhealthy: failed to commit proposal: context deadline exceeded");
            }
        }
        if (!healthy) await c.ErrAsync("Error: unhealthy cluster");
        return healthy ? 0 : 1;
    }

    private static string Url(string endpoint) => endpoint.Contains("://", StringComparison.Ordinal) ? endpoint : "https://" + endpoint;

    private async Task<int> SaveAsync(LabCommandContext c, string? endpoints, string file)
    {
        // etcdctl takes host:port endpoints too; with client certificates they are dialled over TLS.
        var urls = endpoints is null ? null : string.Join(',', endpoints.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Url));
        var via = Ocp311Commands.Reach(_model, c.Host, urls, out var failure);
        if (via is null || !_model.HasQuorum)
        {
            await c.ErrAsync($"Error: context deadline exceeded{(failure is null ? "" : $" ({failure})")}");
            return 1;
        }
        var path = c.ResolvePath(file);
        if (!c.Host.FileSystem.DirectoryExists(LabFileSystem.ParentOf(path)))
        {
            await c.ErrAsync($"Error: could not open {file}.part (open {file}.part: no such file or directory)");
            return 1;
        }
        var api = _model.Cluster.Api;
        c.Host.FileSystem.WriteFile(path,
            $"etcd-snapshot cluster={Ocp311Cluster.ClusterIdHex} member={via.Id} revision={api.Revision} keys={api.ExportObjects().Count}\n");
        await c.OutAsync($"Snapshot saved at {file}");
        return 0;
    }

    private static async Task<int> StatusAsync(LabCommandContext c, string file, string format)
    {
        if (!c.Host.FileSystem.TryReadFile(c.ResolvePath(file), out var content))
        {
            await c.ErrAsync($"Error: stat {file}: no such file or directory");
            return 1;
        }
        var fields = content.StartsWith("etcd-snapshot ", StringComparison.Ordinal)
            ? content.Trim().Split(' ').Skip(1).Select(f => f.Split('=', 2)).Where(kv => kv.Length == 2).ToDictionary(kv => kv[0], kv => kv[1])
            : null;
        if (fields is null || !fields.ContainsKey("revision"))
        {
            await c.ErrAsync("Error: invalid database");
            return 1;
        }
        var hash = LabFileSystem.Sha256Of(content)[..8];
        var size = Encoding.UTF8.GetByteCount(content).ToString(CultureInfo.InvariantCulture) + " B";
        IReadOnlyList<string> row = [hash, fields["revision"], fields.GetValueOrDefault("keys", "0"), size];
        if (format == "table")
            foreach (var line in TextTables.Bordered(["HASH", "REVISION", "TOTAL KEYS", "TOTAL SIZE"], [row], TextTables.Align.Right)) await c.OutAsync(line);
        else
            await c.OutAsync(string.Join(", ", row));
        return 0;
    }
}
