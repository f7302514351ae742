using System.Globalization;
using RecoveryConsole.Lab.Hosts;
using RecoveryConsole.Lab.Ocp4.Commands;
using RecoveryConsole.Lab.Shell;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Lab.Legacy.Ocp311;

/// <summary>
/// The programs of a 3.11 lab cluster's hosts: the etcdctl2/etcdctl3 aliases the installer creates, master-restart,
/// systemctl (haproxy, flanneld, etcd), rpm -qa, tar, sort and tee for the backups.
/// </summary>
internal static class Ocp311Commands
{
    public static void Register(LabCommandRegistry registry, Ocp311Cluster model)
    {
        registry
            .Register("etcdctl2", c => Etcdctl2Async(model, c))
            .Register("etcdctl3", c => Etcdctl3Async(model, c))
            .Register("master-restart", c => MasterRestartAsync(model, c))
            .Register("systemctl", c => SystemctlAsync(model, c))
            .Register("rpm", RpmAsync)
            .Register("tar", TarAsync)
            .Register("sort", SortAsync)
            .Register("tee", TeeAsync)
            .Register(new Ocp311OcCommand(model));
    }

    private static readonly string[] EtcdctlValued = ["--endpoints", "--cacert", "--cert", "--key", "--ca-file", "--cert-file", "--key-file", "-w", "--write-out", "--peers", "-C"];

    /// <summary>The member a command reaches through: the first endpoint whose member answers (the local one by default).</summary>
    internal static Ocp311EtcdMember? Reach(Ocp311Cluster model, LabHost host, string? endpoints, out string? failure)
    {
        failure = null;
        var members = model.Members;
        var urls = endpoints?.Split(',', StringSplitOptions.RemoveEmptyEntries).ToList()
                   ?? (model.MemberOf(host.Name) is { } local ? [local.ClientUrl] : members.Select(m => m.ClientUrl).ToList());
        foreach (var url in urls)
        {
            var member = members.FirstOrDefault(m => m.ClientUrl == url || $"https://{m.Name}:2379" == url);
            if (member is not null && model.MemberHealthy(member)) return member;
            failure = $"dial tcp {url.Replace("https://", "", StringComparison.Ordinal)}: connect: connection refused";
        }
        return null;
    }

    private static async Task<int> Etcdctl2Async(Ocp311Cluster model, LabCommandContext c)
    {
        var o = CommandOutput.Options.Parse(c.Args, EtcdctlValued, ["--debug"]);
        var args = o.Positional;
        if (o.Error is not null)
        {
            await c.ErrAsync($"Incorrect Usage: {o.Error}");
            return 1;
        }
        if (!model.HasQuorum || Reach(model, c.Host, o.Value("--endpoints", "--peers", "-C"), out _) is null)
        {
            if (args is ["cluster-health", ..])
            {
                foreach (var m in model.Members) await c.OutAsync($"member {m.Id} is unreachable: [{m.ClientUrl}] are all unreachable");
                await c.OutAsync("cluster is unavailable");
                return 1;
            }
            await c.ErrAsync("Error:  client: etcd cluster is unavailable or misconfigured; error #0: client: endpoint https://127.0.0.1:2379 exceeded header timeout");
            return 4;
        }
        switch (args)
        {
            case ["cluster-health", ..]:
            {
                var members = model.Members;
                foreach (var m in members)
                {
                    if (model.MemberHealthy(m)) await c.OutAsync($"member {m.Id} is healthy: got healthy result from {m.ClientUrl}");
                    else
                    {
                        await c.OutAsync($"failed to check the health of member {m.Id} on {m.ClientUrl}: Get {m.ClientUrl}/health: dial tcp {m.Address}:2379: getsockopt: connection refused");
                        await c.OutAsync($"member {m.Id} is unreachable: [{m.ClientUrl}] are all unreachable");
                    }
                }
                var healthy = model.HasQuorum;
                await c.OutAsync(healthy ? "cluster is healthy" : "cluster is unavailable");
                return healthy ? 0 : 1;
            }
            case ["member", "list", ..]:
            {
                var members = model.Members;
                var leader = members.FirstOrDefault(model.MemberHealthy);
                foreach (var m in members)
                    await c.OutAsync($"{m.Id}: name={m.Name} peerURLs={m.PeerUrl} clientURLs={m.ClientUrl} isLeader={(m == leader ? "true" : "false")}");
                return 0;
            }
            case ["member", "remove", var id, ..]:
            {
                if (!IsHexId(id))
                {
                    await c.ErrAsync($"Error:  strconv.ParseUint: parsing \"{id}\": invalid syntax");
                    return 1;
                }
                var (ok, message) = model.RemoveMember(id);
                if (!ok)
                {
                    await c.ErrAsync($"Error:  client: {message}");
                    return 1;
                }
                await c.OutAsync($"Removed member {id} from cluster");
                return 0;
            }
            case ["member", "remove"]:
                await c.ErrAsync("Provide a single member ID");
                return 1;
            default:
                await c.ErrAsync($"etcdctl2: '{string.Join(' ', args)}' is not simulated (cluster-health, member list, member remove)");
                return 1;
        }
    }

    private static bool IsHexId(string id) => id.Length is > 0 and <= 16 && ulong.TryParse(id, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out _);

    private static async Task<int> Etcdctl3Async(Ocp311Cluster model, LabCommandContext c)
    {
        var o = CommandOutput.Options.Parse(c.Args, EtcdctlValued, ["--debug", "--cluster"]);
        var args = o.Positional;
        if (o.Error is not null)
        {
            await c.ErrAsync($"Error: {o.Error}");
            return 1;
        }
        var format = o.Value("-w", "--write-out") ?? "simple";
        var endpoints = o.Value("--endpoints");
        if (args is ["endpoint", "health", ..])
        {
            var urls = endpoints?.Split(',', StringSplitOptions.RemoveEmptyEntries).ToList()
                       ?? (o.Has("--cluster") ? model.Members.Select(m => m.ClientUrl).ToList() : ["https://127.0.0.1:2379"]);
            var allHealthy = true;
            foreach (var url in urls)
            {
                var member = url == "https://127.0.0.1:2379" ? model.MemberOf(c.Host.Name) : model.Members.FirstOrDefault(m => m.ClientUrl == url);
                if (member is not null && model.MemberHealthy(member) && model.HasQuorum)
                    await c.OutAsync($"{url} is healthy: successfully committed proposal: took = 2.364351ms");
                else
                {
                    allHealthy = false;
                    await c.ErrAsync($"{url} is unhealthy: failed to connect: dial tcp {url.Replace("https://", "", StringComparison.Ordinal)}: connect: connection refused");
                }
            }
            if (!allHealthy) await c.ErrAsync("Error: unhealthy cluster");
            return allHealthy ? 0 : 1;
        }
        var via = Reach(model, c.Host, endpoints, out var failure);
        if (via is null || !model.HasQuorum)
        {
            await c.ErrAsync($"Error: context deadline exceeded{(failure is null ? "" : $" ({failure})")}");
            return 1;
        }
        switch (args)
        {
            case ["member", "list", ..]:
            {
                var rows = model.Members.Select(m => (IReadOnlyList<string>)[m.Id, "started", m.Name, m.PeerUrl, m.ClientUrl]).ToList();
                if (format == "table")
                    foreach (var line in TextTables.Bordered(["ID", "STATUS", "NAME", "PEER ADDRS", "CLIENT ADDRS"], rows, TextTables.Align.Right)) await c.OutAsync(line);
                else
                    foreach (var row in rows) await c.OutAsync(string.Join(", ", row));
                return 0;
            }
            case ["member", "remove", var id, ..]:
            {
                if (!IsHexId(id))
                {
                    await c.ErrAsync($"Error: bad member ID arg (strconv.ParseUint: parsing \"{id}\": invalid syntax), expecting ID in Hex");
                    return 1;
                }
                var (ok, message) = model.RemoveMember(id);
                if (!ok)
                {
                    await c.ErrAsync(message.StartsWith("member ", StringComparison.Ordinal) ? "Error: etcdserver: member not found" : $"Error: {message}");
                    return 1;
                }
                await c.OutAsync($"Member {id} removed from cluster {Ocp311Cluster.ClusterIdHex}");
                return 0;
            }
            case ["snapshot", "save", var file, ..]:
            {
                var path = c.ResolvePath(file);
                c.Host.FileSystem.WriteFile(path, $"etcd-snapshot cluster={Ocp311Cluster.ClusterIdHex} member={via.Id} revision={model.Cluster.Api.Revision}\n");
                await c.OutAsync($"Snapshot saved at {file}");
                return 0;
            }
            default:
                await c.ErrAsync($"Error: unknown command \"{string.Join(' ', args)}\" for \"etcdctl\"");
                return 1;
        }
    }

    private static async Task<int> MasterRestartAsync(Ocp311Cluster model, LabCommandContext c)
    {
        if (!c.Host.Roles.Contains(HostRoles.ControlPlane) || c.Args.Count == 0)
        {
            await c.ErrAsync("Usage: master-restart [api|controllers|etcd]");
            return 1;
        }
        foreach (var target in c.Args.Where(a => a is "api" or "controllers" or "controller" or "etcd"))
        {
            var file = target switch { "api" => "apiserver", "etcd" => "etcd", _ => "controller" };
            if (!c.Host.FileSystem.FileExists($"{Ocp311Cluster.PodsDirectory}/{file}.yaml"))
            {
                await c.ErrAsync($"Component {(target == "controller" ? "controllers" : target)} is not running");
                return 1;
            }
            if (target == "etcd") model.SetEtcdStopped(c.Host.Name, false);
        }
        model.SyncApi();
        return 0;
    }

    private static async Task<int> SystemctlAsync(Ocp311Cluster model, LabCommandContext c)
    {
        var words = c.Args.Where(a => !a.StartsWith('-')).ToList();
        if (words.Count < 2)
        {
            await c.ErrAsync("Too few arguments.");
            return 1;
        }
        var verb = words[0];
        var unit = words[1].EndsWith(".service", StringComparison.Ordinal) ? words[1][..^8] : words[1];
        var known = unit switch
        {
            "haproxy" => c.Host.FileSystem.FileExists(Ocp311Cluster.HaproxyCfg),
            "flanneld" => c.Host.FileSystem.FileExists(Ocp311Cluster.Flanneld),
            "etcd" => c.Host.FileSystem.FileExists(Ocp311Cluster.EtcdConf) && !c.Host.Roles.Contains(HostRoles.ControlPlane),
            "atomic-openshift-node" or "docker" => c.Host.FileSystem.FileExists("/etc/origin/node/node-config.yaml"),
            _ => false,
        };
        if (!known)
        {
            await c.ErrAsync(verb is "status" or "is-active" ? $"Unit {unit}.service could not be found." : $"Failed to {verb} {unit}.service: Unit not found.");
            return verb == "is-active" ? 3 : 5;
        }
        switch (verb)
        {
            case "restart" or "start" or "reload":
                var ok = unit switch
                {
                    "haproxy" => model.RestartHaproxy(c.Host),
                    "flanneld" => model.RestartFlanneld(c.Host),
                    "etcd" => Start(model, c.Host.Name),
                    _ => true,
                };
                if (!ok)
                {
                    await c.ErrAsync($"Job for {unit}.service failed because the control process exited with error code. See \"systemctl status {unit}.service\" and \"journalctl -xe\" for details.");
                    return 1;
                }
                return 0;
            case "stop":
                if (unit == "etcd") model.SetEtcdStopped(c.Host.Name, true);
                return 0;
            case "is-active" or "status":
                var active = unit != "etcd" || model.MemberOf(c.Host.Name) is { } m && model.MemberHealthy(m);
                await c.OutAsync(verb == "is-active" ? (active ? "active" : "inactive")
                    : $"● {unit}.service\n   Active: {(active ? "active (running)" : "inactive (dead)")}");
                return active ? 0 : 3;
            default:
                await c.ErrAsync($"Unknown operation '{verb}'.");
                return 1;
        }
    }

    private static bool Start(Ocp311Cluster model, string host)
    {
        if (model.MemberOf(host) is null) return false; // removed: "the member has been permanently removed from the cluster"
        model.SetEtcdStopped(host, false);
        return true;
    }

    private static readonly string[] Packages =
    [
        "atomic-openshift-3.11.157-1.git.0.7b2c9a1.el7.x86_64", "atomic-openshift-clients-3.11.157-1.git.0.7b2c9a1.el7.x86_64",
        "atomic-openshift-hyperkube-3.11.157-1.git.0.7b2c9a1.el7.x86_64", "atomic-openshift-node-3.11.157-1.git.0.7b2c9a1.el7.x86_64",
        "docker-1.13.1-109.gitcccb291.el7_7.x86_64", "etcd-3.2.26-1.el7.x86_64", "flannel-0.7.1-4.el7.x86_64",
        "haproxy-1.5.18-9.el7.x86_64", "kernel-3.10.0-1062.el7.x86_64", "openshift-ansible-3.11.157-1.git.0.3e8a6a4.el7.noarch",
        "bash-4.2.46-33.el7.x86_64", "openssl-1.0.2k-19.el7.x86_64",
    ];

    private static async Task<int> RpmAsync(LabCommandContext c)
    {
        if (c.Args is not ["-qa", ..])
        {
            await c.ErrAsync("rpm: only -qa is simulated");
            return 1;
        }
        foreach (var p in Packages) await c.OutAsync(p);
        return 0;
    }

    private static async Task<int> SortAsync(LabCommandContext c)
    {
        var lines = new List<string>();
        var input = c.Args.FirstOrDefault(a => !a.StartsWith('-')) is { } f ? await c.OpenInputAsync(f) : c.Stdin;
        if (input is null) return 2;
        await foreach (var line in input.ReadLinesAsync(c.CancellationToken)) lines.Add(line);
        lines.Sort(StringComparer.Ordinal);
        if (c.Args.Contains("-r")) lines.Reverse();
        foreach (var line in lines) await c.OutAsync(line);
        return 0;
    }

    private static async Task<int> TeeAsync(LabCommandContext c)
    {
        var append = c.Args.Contains("-a");
        var files = c.Args.Where(a => !a.StartsWith('-')).Select(c.ResolvePath).ToList();
        if (!c.Privileged && files.Any(f => !f.StartsWith("/tmp/", StringComparison.Ordinal) && !f.StartsWith(c.Host.HomeDirectory + "/", StringComparison.Ordinal)))
        {
            await c.ErrAsync($"tee: {files.First()}: Permission denied");
            return 1;
        }
        foreach (var f in files.Where(_ => !append)) c.Host.FileSystem.WriteFile(f, "");
        await foreach (var line in c.Stdin.ReadLinesAsync(c.CancellationToken))
        {
            foreach (var f in files) c.Host.FileSystem.AppendFile(f, line + "\n");
            await c.OutAsync(line);
        }
        return 0;
    }

    /// <summary>tar -zcvf ARCHIVE DIR... (an archive that lists its members) and tar -tzf ARCHIVE.</summary>
    private static async Task<int> TarAsync(LabCommandContext c)
    {
        var flags = c.Args.FirstOrDefault() ?? "";
        var operands = c.Args.Skip(1).ToList();
        if (flags.TrimStart('-').Contains('c') && operands.Count >= 2)
        {
            var archive = c.ResolvePath(operands[0]);
            if (!c.Privileged && !archive.StartsWith("/tmp/", StringComparison.Ordinal) && !archive.StartsWith(c.Host.HomeDirectory + "/", StringComparison.Ordinal))
            {
                await c.ErrAsync($"tar (child): {operands[0]}: Cannot open: Permission denied");
                return 2;
            }
            var members = new List<string>();
            foreach (var operand in operands.Skip(1))
            {
                var path = c.ResolvePath(operand);
                var files = c.Host.FileSystem.FilesUnder(path);
                if (files.Count == 0 && !c.Host.FileSystem.DirectoryExists(path))
                {
                    await c.ErrAsync($"tar: {operand}: Cannot stat: No such file or directory");
                    return 2;
                }
                members.AddRange(files);
            }
            if (flags.Contains('v'))
            {
                await c.ErrAsync("tar: Removing leading `/' from member names");
                foreach (var m in members) await c.OutAsync(m.TrimStart('/'));
            }
            c.Host.FileSystem.WriteFile(archive, "tar.gz\n" + string.Concat(members.Select(m => m.TrimStart('/') + "\n")));
            return 0;
        }
        if (flags.TrimStart('-').Contains('t') && operands.Count >= 1)
        {
            if (!c.Host.FileSystem.TryReadFile(c.ResolvePath(operands[0]), out var content) || !content.StartsWith("tar.gz\n", StringComparison.Ordinal))
            {
                await c.ErrAsync($"tar: {operands[0]}: Cannot open: No such file or directory");
                return 2;
            }
            foreach (var line in content.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)) await c.OutAsync(line);
            return 0;
        }
        await c.ErrAsync("tar: only -zcvf ARCHIVE DIR and -tzf ARCHIVE are simulated");
        return 2;
    }
}
