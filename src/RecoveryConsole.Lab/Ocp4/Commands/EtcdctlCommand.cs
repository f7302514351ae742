using System.Globalization;
using System.Text.Json.Nodes;
using RecoveryConsole.Lab.Ocp4.Etcd;
using RecoveryConsole.Lab.Shell;

namespace RecoveryConsole.Lab.Ocp4.Commands;

/// <summary>
/// etcdctl (API v3, as in the etcdctl container or with etcd.env sourced): member list / remove, endpoint health /
/// status, snapshot save / status, version. Endpoints come from --endpoints, ETCDCTL_ENDPOINTS, or the node's
/// etcd.env (all members of the revision, like the container's environment). Output follows etcd 3.5's printers:
/// uint64 ids in decimal in JSON, 16-digit hex in tables.
/// </summary>
internal sealed class EtcdctlCommand(Ocp4Cluster model, string name = "etcdctl") : ILabCommand
{
    private const int ExitError = 1;
    private const int ExitBadArgs = 128;

    public string Name => name;

    private bool IsEtcdutl => name == "etcdutl";

    public async Task<int> RunAsync(LabCommandContext context)
    {
        // Typed as a path, it is a file of this host: /etc/kubernetes/static-pod-resources/bin/etcdctl exists only
        // where cluster-backup.sh or cluster-restore.sh copied it out of the etcd image.
        if (context.Name.Contains('/') && await ScriptFile.MissingAsync(context, context.ResolvePath(context.Name)).ConfigureAwait(false) is { } missing)
            return missing;
        var options = CommandOutput.Options.Parse(context.Args,
            ["--endpoints", "-w", "--write-out", "--cacert", "--cert", "--key", "--command-timeout", "--dial-timeout", "--user", "--password", "--data-dir"],
            ["--cluster", "--hex", "--insecure-skip-tls-verify", "--debug", "--keepalive-time"]);
        if (options.Error is not null)
        {
            await context.ErrAsync($"Error: {options.Error}").ConfigureAwait(false);
            return ExitBadArgs;
        }
        var words = options.Positional;
        var format = options.Value("-w", "--write-out") ?? context.Environment.GetValueOrDefault("ETCDCTL_WRITE_OUT") ?? "simple";
        var hex = options.Has("--hex");
        var result = (words.Count > 0 ? words[0] : "", words.Count > 1 ? words[1] : "") switch
        {
            ("version", _) => Version(),
            ("snapshot", "status") => SnapshotStatus(context, words.Skip(2).ToList(), format),
            ("snapshot", "save") when !IsEtcdutl => SnapshotSave(context, options, words.Skip(2).ToList()),
            ("member", "list") when !IsEtcdutl => MemberList(context, options, format, hex),
            ("member", "remove") when !IsEtcdutl => MemberRemove(context, options, words.Skip(2).ToList()),
            ("endpoint", "health") when !IsEtcdutl => EndpointHealth(context, options, format),
            ("endpoint", "status") when !IsEtcdutl => EndpointStatus(context, options, format, hex),
            ("", _) => (0, new List<OutLine> { OutLine.Out($"NAME:\n\t{Name} - A simple command line client for etcd3.") }),
            _ => (ExitError, new List<OutLine>
            {
                OutLine.Err($"Error: unknown command \"{string.Join(' ', words.Take(2))}\" for \"{Name}\""),
                OutLine.Err($"Run '{Name} --help' for usage."),
            }),
        };
        return await CommandOutput.PrintAsync(context, result.Item1, result.Item2).ConfigureAwait(false);
    }

    private (int, List<OutLine>) Version() =>
        (0, [OutLine.Out($"{Name} version: {model.Release.EtcdVersion}"), OutLine.Out("API version: 3.5")]);

    /// <summary>--endpoints, ETCDCTL_ENDPOINTS, else ALL_ETCD_ENDPOINTS from the node's etcd.env, else the local member.</summary>
    private List<string> Endpoints(LabCommandContext context, CommandOutput.Options options)
    {
        var given = options.Value("--endpoints") ?? context.Environment.GetValueOrDefault("ETCDCTL_ENDPOINTS");
        if (given is null && context.Host.FileSystem.TryReadFile(Ocp4Cluster.EtcdEnvPath, out var env))
        {
            var line = env.Split('\n').FirstOrDefault(l => l.StartsWith("export ALL_ETCD_ENDPOINTS=", StringComparison.Ordinal));
            given = line?["export ALL_ETCD_ENDPOINTS=".Length..].Trim('"');
        }
        given ??= "127.0.0.1:2379";
        return given.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(e => Normalize(context, e)).ToList();
    }

    private string Normalize(LabCommandContext context, string endpoint)
    {
        var hostPort = endpoint.Contains("://", StringComparison.Ordinal) ? endpoint[(endpoint.IndexOf("://", StringComparison.Ordinal) + 3)..] : endpoint;
        if (hostPort.StartsWith("127.0.0.1", StringComparison.Ordinal) || hostPort.StartsWith("localhost", StringComparison.Ordinal))
            hostPort = context.Host.Address + hostPort[hostPort.IndexOf(':')..];
        return "https://" + hostPort;
    }

    /// <summary>Why an endpoint does not answer (null: an etcd process listens there).</summary>
    private string? Unreachable(string endpoint)
    {
        var address = endpoint[8..endpoint.LastIndexOf(':')];
        var node = model.Nodes.FirstOrDefault(n => n.Address == address);
        if (node is null || !node.IsUp) return $"dial tcp {endpoint[8..]}: connect: no route to host";
        return model.EtcdAt(endpoint) is null ? $"dial tcp {endpoint[8..]}: connect: connection refused" : null;
    }

    private static OutLine RetryWarning(DateTimeOffset now, string endpoint, string reason) => OutLine.Err(Ocp4Cluster.ZapLog(now, "warn",
        "v3@v3.5/retry_interceptor.go:62", "retrying of unary invoker failed",
        ("target", "etcd-endpoints://0xc0001f4000/" + endpoint[8..]), ("attempt", 0),
        ("error", reason.StartsWith("dial", StringComparison.Ordinal)
            ? $"rpc error: code = DeadlineExceeded desc = latest balancer error: last connection error: connection error: desc = \"transport: Error while dialing: {reason}\""
            : "rpc error: code = DeadlineExceeded desc = context deadline exceeded")));

    /// <summary>The first endpoint with an etcd process, as the client balancer would pick one.</summary>
    private (EtcdBinding Binding, string Endpoint)? FirstReachable(List<string> endpoints)
    {
        foreach (var endpoint in endpoints)
        {
            if (model.EtcdAt(endpoint) is { } running) return (running.Binding, endpoint);
        }
        return null;
    }

    private (int, List<OutLine>) NoConnection(List<string> endpoints) =>
        (ExitError,
        [
            RetryWarning(model.Now, endpoints.FirstOrDefault() ?? "https://127.0.0.1:2379", endpoints.Select(Unreachable).FirstOrDefault(r => r is not null) ?? "context deadline exceeded"),
            OutLine.Err("Error: context deadline exceeded"),
        ]);

    private (int, List<OutLine>) MemberList(LabCommandContext context, CommandOutput.Options options, string format, bool hex) => model.Read(() =>
    {
        var endpoints = Endpoints(context, options);
        if (FirstReachable(endpoints) is not { } target || !model.HasQuorum(target.Binding.Cluster)) return NoConnection(endpoints);
        var cluster = target.Binding.Cluster;
        var members = cluster.Members.OrderBy(m => m.Id).ToList();
        switch (format)
        {
            case "json":
                var array = new JsonArray();
                foreach (var m in members)
                {
                    var item = new JsonObject { ["ID"] = Id(m.Id, hex) };
                    if (m.Name.Length > 0) item["name"] = m.Name;
                    item["peerURLs"] = new JsonArray(m.PeerUrl);
                    if (m.Started) item["clientURLs"] = new JsonArray(m.ClientUrl);
                    if (m.IsLearner) item["isLearner"] = true;
                    array.Add(item);
                }
                var json = new JsonObject
                {
                    ["header"] = Header(cluster, target.Binding.Member, hex),
                    ["members"] = array,
                };
                return (0, new List<OutLine> { OutLine.Out(json.ToJsonString()) });
            case "table":
                var rows = members.Select(m => (IReadOnlyList<string>)new List<string>
                {
                    m.IdHex, m.Name.Length > 0 ? "started" : "unstarted", m.Name, m.PeerUrl, m.Started ? m.ClientUrl : "", m.IsLearner ? "true" : "false",
                }).ToList();
                return (0, TextTables.Bordered(["ID", "STATUS", "NAME", "PEER ADDRS", "CLIENT ADDRS", "IS LEARNER"], rows, TextTables.Align.Right).Select(OutLine.Out).ToList());
            default:
                return (0, members.Select(m => OutLine.Out(
                    $"{m.IdHex}, {(m.Name.Length > 0 ? "started" : "unstarted")}, {m.Name}, {m.PeerUrl}, {(m.Started ? m.ClientUrl : "")}, {(m.IsLearner ? "true" : "false")}")).ToList());
        }
    });

    private JsonObject Header(EtcdCluster cluster, EtcdMember member, bool hex, long? revision = null)
    {
        var header = new JsonObject
        {
            ["cluster_id"] = Id(cluster.ClusterId, hex),
            ["member_id"] = Id(member.Id, hex),
        };
        if (revision is { } r) header["revision"] = r;
        header["raft_term"] = cluster.RaftTerm;
        return header;
    }

    private static JsonNode Id(ulong id, bool hex) => hex ? JsonValue.Create(EtcdMember.Hex(id)) : JsonValue.Create(id);

    private (int, List<OutLine>) MemberRemove(LabCommandContext context, CommandOutput.Options options, List<string> args)
    {
        if (args.Count != 1) return (ExitBadArgs, [OutLine.Err("Error: member ID is not provided")]);
        if (!ulong.TryParse(args[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var id))
            return (ExitBadArgs, [OutLine.Err($"Error: bad member ID arg (strconv.ParseUint: parsing \"{args[0]}\": invalid syntax), expecting ID in Hex")]);
        return model.Change(() =>
        {
            var endpoints = Endpoints(context, options);
            if (FirstReachable(endpoints) is not { } target) return NoConnection(endpoints);
            var cluster = target.Binding.Cluster;
            var error = model.RemoveMember(cluster, id);
            if (error == "context deadline exceeded") return NoConnection(endpoints);
            if (error is not null) return (ExitError, new List<OutLine> { OutLine.Err($"Error: {error}") });
            return (0, new List<OutLine> { OutLine.Out($"Member {EtcdMember.Hex(id)} removed from cluster {cluster.IdHex}") });
        });
    }

    private static string Took(string endpoint, bool healthy)
    {
        var seed = Math.Abs(LabIds.StableHash(endpoint));
        return healthy
            ? (5 + seed % 9).ToString(CultureInfo.InvariantCulture) + "." + (seed % 1000000).ToString("000000", CultureInfo.InvariantCulture) + "ms"
            : "5.00" + (seed % 10000).ToString("0000", CultureInfo.InvariantCulture) + "s";
    }

    private (int, List<OutLine>) EndpointHealth(LabCommandContext context, CommandOutput.Options options, string format) => model.Read(() =>
    {
        var endpoints = Endpoints(context, options);
        if (options.Has("--cluster"))
        {
            if (FirstReachable(endpoints) is not { } target || !model.HasQuorum(target.Binding.Cluster)) return NoConnection(endpoints);
            endpoints = target.Binding.Cluster.Members.Where(m => m.Started).OrderBy(m => m.Id).Select(m => m.ClientUrl).ToList();
        }
        var results = endpoints.Select(endpoint =>
        {
            var running = model.EtcdAt(endpoint);
            var healthy = running is { } r && model.HasQuorum(r.Binding.Cluster) && !r.Binding.Member.IsLearner;
            var error = healthy ? null : running is { Binding.Member.IsLearner: true } ? "etcdserver: rpc not supported for learner" : "context deadline exceeded";
            return (Endpoint: endpoint, Healthy: healthy, Took: Took(endpoint, healthy), Error: error);
        }).ToList();
        var lines = new List<OutLine>();
        if (results.Any(r => !r.Healthy))
        {
            foreach (var r in results.Where(r => !r.Healthy))
                lines.Add(OutLine.Err(Ocp4Cluster.ZapLog(model.Now, "warn", "v3@v3.5/retry_interceptor.go:62", "retrying of unary invoker failed",
                    ("target", "etcd-endpoints://0xc000224000/" + r.Endpoint[8..]), ("attempt", 0), ("error", "rpc error: code = DeadlineExceeded desc = context deadline exceeded"))));
        }
        switch (format)
        {
            case "json":
                var array = new JsonArray();
                foreach (var r in results)
                {
                    var item = new JsonObject { ["endpoint"] = r.Endpoint, ["health"] = r.Healthy, ["took"] = r.Took };
                    if (r.Error is not null) item["error"] = r.Error;
                    array.Add(item);
                }
                lines.Add(OutLine.Out(array.ToJsonString()));
                break;
            case "table":
                lines.AddRange(TextTables.Bordered(["ENDPOINT", "HEALTH", "TOOK", "ERROR"],
                    results.Select(r => (IReadOnlyList<string>)new List<string> { r.Endpoint, r.Healthy ? "true" : "false", r.Took, r.Error ?? "" }).ToList(),
                    TextTables.Align.Right).Select(OutLine.Out));
                break;
            default:
                foreach (var r in results)
                {
                    lines.Add(r.Healthy
                        ? OutLine.Out($"{r.Endpoint} is healthy: successfully committed proposal: took = {r.Took}")
                        : OutLine.Err($"{r.Endpoint} is unhealthy: failed to commit proposal: {r.Error}"));
                }
                break;
        }
        if (results.Any(r => !r.Healthy))
        {
            lines.Add(OutLine.Err("Error: unhealthy cluster"));
            return (ExitError, lines);
        }
        return (0, lines);
    });

    private (int, List<OutLine>) EndpointStatus(LabCommandContext context, CommandOutput.Options options, string format, bool hex) => model.Read(() =>
    {
        var endpoints = Endpoints(context, options);
        if (options.Has("--cluster"))
        {
            if (FirstReachable(endpoints) is not { } target || !model.HasQuorum(target.Binding.Cluster)) return NoConnection(endpoints);
            endpoints = target.Binding.Cluster.Members.Where(m => m.Started).OrderBy(m => m.Id).Select(m => m.ClientUrl).ToList();
        }
        var lines = new List<OutLine>();
        var statuses = new List<(string Endpoint, EtcdBinding Binding)>();
        var failed = false;
        foreach (var endpoint in endpoints)
        {
            if (model.EtcdAt(endpoint) is { } running)
            {
                statuses.Add((endpoint, running.Binding));
                continue;
            }
            failed = true;
            lines.Add(RetryWarning(model.Now, endpoint, Unreachable(endpoint) ?? "context deadline exceeded"));
            lines.Add(OutLine.Err($"Failed to get the status of endpoint {endpoint} (context deadline exceeded)"));
        }
        var rows = statuses.Select(s =>
        {
            var cluster = s.Binding.Cluster;
            var (_, revision) = cluster == model.LiveEtcd ? (0, model.Api.Revision) : (0, cluster.FrozenRevision);
            var size = 45_056_000 + revision % 100_000 * 4096;
            var raftIndex = cluster.RaftIndexBase + revision % 1_000_000 + 1000;
            var leader = model.HasQuorum(cluster) ? cluster.LeaderId : 0;
            return (s.Endpoint, s.Binding, Cluster: cluster, Revision: revision, Size: size, RaftIndex: raftIndex, Leader: leader);
        }).ToList();
        switch (format)
        {
            case "json":
                var array = new JsonArray();
                foreach (var r in rows)
                {
                    var status = new JsonObject
                    {
                        ["header"] = Header(r.Cluster, r.Binding.Member, hex, r.Revision),
                        ["version"] = model.Release.EtcdVersion,
                        ["dbSize"] = r.Size,
                        ["leader"] = Id(r.Leader, hex),
                        ["raftIndex"] = r.RaftIndex,
                        ["raftTerm"] = r.Cluster.RaftTerm,
                        ["raftAppliedIndex"] = r.RaftIndex,
                        ["dbSizeInUse"] = r.Size / 2,
                    };
                    if (r.Binding.Member.IsLearner) status["isLearner"] = true;
                    if (r.Leader == 0) status["errors"] = new JsonArray("etcdserver: no leader");
                    array.Add(new JsonObject { ["Endpoint"] = r.Endpoint, ["Status"] = status });
                }
                lines.Add(OutLine.Out(array.ToJsonString()));
                break;
            case "table":
                lines.AddRange(TextTables.Bordered(
                    ["ENDPOINT", "ID", "VERSION", "DB SIZE", "IS LEADER", "IS LEARNER", "RAFT TERM", "RAFT INDEX", "RAFT APPLIED INDEX", "ERRORS"],
                    rows.Select(r => (IReadOnlyList<string>)new List<string>
                    {
                        r.Endpoint, r.Binding.Member.IdHex, model.Release.EtcdVersion, Ocp4Cluster.HumanBytes(r.Size),
                        r.Leader == r.Binding.Member.Id ? "true" : "false", r.Binding.Member.IsLearner ? "true" : "false",
                        r.Cluster.RaftTerm.ToString(CultureInfo.InvariantCulture), r.RaftIndex.ToString(CultureInfo.InvariantCulture),
                        r.RaftIndex.ToString(CultureInfo.InvariantCulture), r.Leader == 0 ? "etcdserver: no leader" : "",
                    }).ToList(), TextTables.Align.Right).Select(OutLine.Out));
                break;
            default:
                foreach (var r in rows)
                {
                    lines.Add(OutLine.Out(string.Join(", ", r.Endpoint, r.Binding.Member.IdHex, model.Release.EtcdVersion, Ocp4Cluster.HumanBytes(r.Size),
                        r.Leader == r.Binding.Member.Id ? "true" : "false", r.Binding.Member.IsLearner ? "true" : "false",
                        r.Cluster.RaftTerm.ToString(CultureInfo.InvariantCulture), r.RaftIndex.ToString(CultureInfo.InvariantCulture),
                        r.RaftIndex.ToString(CultureInfo.InvariantCulture), r.Leader == 0 ? "etcdserver: no leader" : "")));
                }
                break;
        }
        return (failed ? ExitError : 0, lines);
    });

    private (int, List<OutLine>) SnapshotSave(LabCommandContext context, CommandOutput.Options options, List<string> args)
    {
        if (args.Count != 1) return (ExitBadArgs, [OutLine.Err("Error: snapshot save expects one argument")]);
        var path = context.ResolvePath(args[0]);
        return model.Change(() =>
        {
            var endpoints = Endpoints(context, options);
            if (endpoints.Count != 1)
                return (ExitBadArgs, new List<OutLine> { OutLine.Err($"Error: snapshot must be requested to one selected node, not multiple [{string.Join(' ', endpoints)}]") });
            var lines = new List<OutLine> { OutLine.Err(Ocp4Cluster.ZapLog(model.Now, "info", "snapshot/v3_snapshot.go:65", "created temporary db file", ("path", args[0] + ".part"))) };
            if (model.EtcdAt(endpoints[0]) is not { } etcd)
            {
                var (code, error) = NoConnection(endpoints);
                lines.AddRange(error);
                return (code, lines);
            }
            if (!context.Host.FileSystem.DirectoryExists(Hosts.LabFileSystem.ParentOf(path)))
            {
                lines.Add(OutLine.Err($"Error: could not open {args[0]}.part (open {args[0]}.part: no such file or directory)"));
                return (ExitError, lines);
            }
            var (objects, revision) = model.KeyspaceOf(etcd.Binding.Cluster);
            var version = (string?)objects.GetValueOrDefault("/apis/config.openshift.io/v1/clusterversions/version")?["status"]?["desired"]?["version"] ?? model.Release.Version;
            var snapshot = EtcdSnapshotFile.Create(objects, revision, version, model.Release.EtcdVersion, etcd.Binding.Cluster.ClusterId, model.Now);
            context.Host.FileSystem.WriteFile(path, snapshot.ToText());
            lines.Add(OutLine.Err(Ocp4Cluster.ZapLog(model.Now, "info", "snapshot/v3_snapshot.go:73", "fetching snapshot", ("endpoint", endpoints[0]))));
            lines.Add(OutLine.Err(Ocp4Cluster.ZapLog(model.Now, "info", "snapshot/v3_snapshot.go:88", "fetched snapshot", ("endpoint", endpoints[0]), ("size", Ocp4Cluster.HumanBytes(snapshot.TotalSize)), ("took", "now"))));
            lines.Add(OutLine.Err(Ocp4Cluster.ZapLog(model.Now, "info", "snapshot/v3_snapshot.go:97", "saved", ("path", args[0]))));
            lines.Add(OutLine.Out($"Snapshot saved at {args[0]}"));
            return (0, lines);
        });
    }

    private (int, List<OutLine>) SnapshotStatus(LabCommandContext context, List<string> args, string format)
    {
        var lines = new List<OutLine>();
        if (!IsEtcdutl)
        {
            lines.Add(OutLine.Err("Deprecated: Use `etcdutl snapshot status` instead."));
            lines.Add(OutLine.Err(""));
        }
        if (args.Count != 1)
        {
            lines.Add(OutLine.Err("Error: snapshot status requires exactly one argument"));
            return (ExitBadArgs, lines);
        }
        if (!context.Host.FileSystem.TryReadFile(context.ResolvePath(args[0]), out var text))
        {
            lines.Add(OutLine.Err($"Error: stat {args[0]}: no such file or directory"));
            return (ExitError, lines);
        }
        if (EtcdSnapshotFile.Parse(text) is not { } snapshot)
        {
            lines.Add(OutLine.Err("Error: invalid database"));
            return (ExitError, lines);
        }
        switch (format)
        {
            case "json":
                lines.Add(OutLine.Out(Ocp4Cluster.SnapshotStatusJson(snapshot)));
                break;
            case "table":
                lines.AddRange(TextTables.Bordered(["HASH", "REVISION", "TOTAL KEYS", "TOTAL SIZE"],
                    [[snapshot.Hash.ToString("x", CultureInfo.InvariantCulture), snapshot.Revision.ToString(CultureInfo.InvariantCulture),
                      snapshot.TotalKeys.ToString(CultureInfo.InvariantCulture), Ocp4Cluster.HumanBytes(snapshot.TotalSize)]],
                    TextTables.Align.Default).Select(OutLine.Out));
                break;
            default:
                lines.Add(OutLine.Out($"{snapshot.Hash.ToString("x", CultureInfo.InvariantCulture)}, {snapshot.Revision}, {snapshot.TotalKeys}, {Ocp4Cluster.HumanBytes(snapshot.TotalSize)}"));
                break;
        }
        return (0, lines);
    }
}
