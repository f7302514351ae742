using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RecoveryConsole.Lab.Ocp4.Runtime;
using RecoveryConsole.Lab.Shell;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Lab.Ocp4.Commands;

/// <summary>
/// crictl against the host's simulated CRI-O: ps, pods, stop, logs, exec, version. Needs root (the CRI socket).
/// Output as cri-tools prints it: tabwriter tables with 13-character ids, -q full ids, -o json in protojson shape.
/// </summary>
internal sealed class CrictlCommand(Ocp4Cluster model) : ILabCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public string Name => "crictl";

    public async Task<int> RunAsync(LabCommandContext context)
    {
        var args = context.Args.ToList();
        // Global flags before the subcommand (-r/--runtime-endpoint, --timeout) are accepted and ignored.
        while (args.Count > 0 && args[0].StartsWith('-'))
        {
            var flag = args[0];
            args.RemoveAt(0);
            if (!flag.Contains('=') && flag is "-r" or "--runtime-endpoint" or "-i" or "--image-endpoint" or "-t" or "--timeout" or "-c" or "--config" && args.Count > 0)
                args.RemoveAt(0);
        }
        if (args.Count == 0)
        {
            await context.OutAsync("NAME:\n   crictl - client for CRI").ConfigureAwait(false);
            return 0;
        }
        if (!context.Privileged)
        {
            var now = model.Read(() => model.Now);
            await context.ErrAsync($"time=\"{now.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}\" level=fatal msg=\"validate service connection: validate CRI v1 runtime API for endpoint \\\"unix:///var/run/crio/crio.sock\\\": rpc error: code = Unavailable desc = connection error: desc = \\\"transport: Error while dialing: dial unix /var/run/crio/crio.sock: connect: permission denied\\\"\"").ConfigureAwait(false);
            return 1;
        }
        var command = args[0];
        var rest = args.Skip(1).ToList();
        return command switch
        {
            "ps" => await PsAsync(context, rest).ConfigureAwait(false),
            "pods" => await PodsAsync(context, rest).ConfigureAwait(false),
            "stop" => await StopAsync(context, rest).ConfigureAwait(false),
            "logs" => await LogsAsync(context, rest).ConfigureAwait(false),
            "exec" => await ExecAsync(context, rest).ConfigureAwait(false),
            "version" => await VersionAsync(context).ConfigureAwait(false),
            _ => await FatalAsync(context, $"No help topic for '{command}'").ConfigureAwait(false),
        };
    }

    private async Task<int> FatalAsync(LabCommandContext context, string message)
    {
        var now = model.Read(() => model.Now);
        await context.ErrAsync($"time=\"{now.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}\" level=fatal msg=\"{message.Replace("\"", "\\\"", StringComparison.Ordinal)}\"").ConfigureAwait(false);
        return 1;
    }

    private static Func<string, bool>? NameFilter(string? pattern)
    {
        if (string.IsNullOrEmpty(pattern)) return null;
        var regex = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        return regex.IsMatch;
    }

    private static bool LabelsMatch(IReadOnlyDictionary<string, string> labels, IReadOnlyList<string> selectors) =>
        selectors.All(s =>
        {
            var eq = s.IndexOf('=');
            return eq > 0 && labels.TryGetValue(s[..eq], out var value) && value == s[(eq + 1)..];
        });

    internal static Dictionary<string, string> ContainerLabels(RuntimeContainer c) => new(StringComparer.Ordinal)
    {
        ["io.kubernetes.container.name"] = c.Name,
        ["io.kubernetes.pod.name"] = c.Pod.Name,
        ["io.kubernetes.pod.namespace"] = c.Pod.Namespace,
        ["io.kubernetes.pod.uid"] = c.Pod.Uid,
    };

    private static Dictionary<string, string> PodLabels(RuntimePod p)
    {
        var labels = new Dictionary<string, string>(p.Labels, StringComparer.Ordinal)
        {
            ["io.kubernetes.pod.name"] = p.Name,
            ["io.kubernetes.pod.namespace"] = p.Namespace,
            ["io.kubernetes.pod.uid"] = p.Uid,
        };
        return labels;
    }

    private async Task<int> PsAsync(LabCommandContext context, List<string> args)
    {
        var options = CommandOutput.Options.Parse(args,
            ["--label", "--name", "--state", "-s", "-p", "--pod", "--id", "-o", "--output", "-n", "--last", "--image"],
            ["-a", "--all", "-q", "--quiet", "--no-trunc", "-l", "--latest", "-v", "--verbose"]);
        if (options.Error is not null) return await FatalAsync(context, options.Error).ConfigureAwait(false);
        var output = options.Value("-o", "--output") ?? "table";
        if (output is not ("table" or "json" or "yaml")) return await FatalAsync(context, $"unsupported output format \"{output}\"").ConfigureAwait(false);
        Func<string, bool>? nameFilter;
        try
        {
            nameFilter = NameFilter(options.Value("--name"));
        }
        catch (ArgumentException)
        {
            return await FatalAsync(context, $"invalid regular expression \"{options.Value("--name")}\"").ConfigureAwait(false);
        }

        var lines = model.Read(() =>
        {
            var node = model.NodeOf(context.Host);
            var now = model.Now;
            IEnumerable<RuntimeContainer> containers = node.Runtime.Containers;
            var state = options.Value("--state", "-s")?.ToLowerInvariant();
            if (state is not null)
            {
                containers = containers.Where(c => c.State.ToString().Equals(state, StringComparison.OrdinalIgnoreCase));
            }
            else if (!options.Has("-a", "--all") && options.Value("--id") is null)
            {
                containers = containers.Where(c => c.IsRunning);
            }
            if (nameFilter is not null) containers = containers.Where(c => nameFilter(c.Name));
            var labels = options.Values("--label");
            if (labels.Count > 0) containers = containers.Where(c => LabelsMatch(ContainerLabels(c), labels));
            if (options.Value("-p", "--pod") is { } pod) containers = containers.Where(c => c.Pod.Id.StartsWith(pod, StringComparison.Ordinal));
            if (options.Value("--id") is { } id) containers = containers.Where(c => c.Id.StartsWith(id, StringComparison.Ordinal));
            var list = containers.OrderByDescending(c => c.CreatedAt).ThenBy(c => c.Id, StringComparer.Ordinal).ToList();
            if (options.Has("-l", "--latest")) list = list.Take(1).ToList();
            if (options.Value("-n", "--last") is { } last && int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0) list = list.Take(n).ToList();

            if (options.Has("-q", "--quiet")) return list.Select(c => c.Id).ToList();
            if (output == "json") return [ContainersJson(list)];
            if (output == "yaml") return ContainersYaml(list);
            var trunc = !options.Has("--no-trunc");
            var header = new List<string> { "CONTAINER", "IMAGE", "CREATED", "STATE", "NAME", "ATTEMPT", "POD ID", "POD" };
            if (model.Release.CrictlShowsNamespace) header.Add("NAMESPACE");
            var rows = list.Select(c =>
            {
                var row = new List<string>
                {
                    trunc ? c.Id[..13] : c.Id,
                    c.Image,
                    HumanDuration.Ago(now - c.CreatedAt),
                    c.State.ToString(),
                    c.Name,
                    c.Attempt.ToString(CultureInfo.InvariantCulture),
                    trunc ? c.Pod.Id[..13] : c.Pod.Id,
                    c.Pod.Name,
                };
                if (model.Release.CrictlShowsNamespace) row.Add(c.Pod.Namespace);
                return (IReadOnlyList<string>)row;
            }).ToList();
            return TextTables.Tabwriter(header, rows);
        });
        foreach (var line in lines) await context.OutAsync(line).ConfigureAwait(false);
        return 0;
    }

    private static string ContainersJson(IEnumerable<RuntimeContainer> containers)
    {
        var array = new JsonArray();
        foreach (var c in containers)
        {
            var labels = new JsonObject();
            foreach (var (key, value) in ContainerLabels(c)) labels[key] = value;
            array.Add(new JsonObject
            {
                ["id"] = c.Id,
                ["podSandboxId"] = c.Pod.Id,
                ["metadata"] = new JsonObject { ["name"] = c.Name, ["attempt"] = c.Attempt },
                ["image"] = new JsonObject { ["image"] = c.ImageRef, ["annotations"] = new JsonObject(), ["userSpecifiedImage"] = "", ["runtimeHandler"] = "" },
                ["imageRef"] = c.ImageRef,
                ["state"] = c.CriState,
                ["createdAt"] = UnixNanos(c.CreatedAt),
                ["labels"] = labels,
                ["annotations"] = new JsonObject
                {
                    ["io.kubernetes.container.restartCount"] = c.Attempt.ToString(CultureInfo.InvariantCulture),
                    ["io.kubernetes.container.terminationMessagePolicy"] = "FallbackToLogsOnError",
                },
            });
        }
        return new JsonObject { ["containers"] = array }.ToJsonString(Indented);
    }

    private static List<string> ContainersYaml(IEnumerable<RuntimeContainer> containers)
    {
        var lines = new List<string> { "containers:" };
        foreach (var c in containers)
        {
            lines.Add($"- createdAt: \"{UnixNanos(c.CreatedAt)}\"");
            lines.Add($"  id: {c.Id}");
            lines.Add($"  imageRef: {c.ImageRef}");
            lines.Add("  metadata:");
            lines.Add($"    attempt: {c.Attempt}");
            lines.Add($"    name: {c.Name}");
            lines.Add($"  podSandboxId: {c.Pod.Id}");
            lines.Add($"  state: {c.CriState}");
        }
        return lines;
    }

    private static string UnixNanos(DateTimeOffset time) =>
        ((time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100).ToString(CultureInfo.InvariantCulture);

    private async Task<int> PodsAsync(LabCommandContext context, List<string> args)
    {
        var options = CommandOutput.Options.Parse(args,
            ["--name", "--namespace", "--label", "--state", "-s", "--id", "-o", "--output", "-n", "--last"],
            ["-q", "--quiet", "--no-trunc", "-l", "--latest", "-v", "--verbose"]);
        if (options.Error is not null) return await FatalAsync(context, options.Error).ConfigureAwait(false);
        var output = options.Value("-o", "--output") ?? "table";
        Func<string, bool>? nameFilter, namespaceFilter;
        try
        {
            nameFilter = NameFilter(options.Value("--name"));
            namespaceFilter = NameFilter(options.Value("--namespace"));
        }
        catch (ArgumentException)
        {
            return await FatalAsync(context, "invalid regular expression").ConfigureAwait(false);
        }
        var lines = model.Read(() =>
        {
            var node = model.NodeOf(context.Host);
            var now = model.Now;
            IEnumerable<RuntimePod> pods = node.Runtime.Pods;
            if (nameFilter is not null) pods = pods.Where(p => nameFilter(p.Name));
            if (namespaceFilter is not null) pods = pods.Where(p => namespaceFilter(p.Namespace));
            var labels = options.Values("--label");
            if (labels.Count > 0) pods = pods.Where(p => LabelsMatch(PodLabels(p), labels));
            if (options.Value("--state", "-s") is { } state) pods = pods.Where(p => (p.SandboxReady ? "ready" : "notready") == state.ToLowerInvariant());
            if (options.Value("--id") is { } id) pods = pods.Where(p => p.Id.StartsWith(id, StringComparison.Ordinal));
            var list = pods.OrderByDescending(p => p.CreatedAt).ToList();
            if (options.Has("-l", "--latest")) list = list.Take(1).ToList();
            if (options.Has("-q", "--quiet")) return list.Select(p => p.Id).ToList();
            if (output == "json")
            {
                var items = new JsonArray();
                foreach (var p in list)
                {
                    var podLabels = new JsonObject();
                    foreach (var (key, value) in PodLabels(p)) podLabels[key] = value;
                    items.Add(new JsonObject
                    {
                        ["id"] = p.Id,
                        ["metadata"] = new JsonObject { ["name"] = p.Name, ["uid"] = p.Uid, ["namespace"] = p.Namespace, ["attempt"] = p.Attempt },
                        ["state"] = p.SandboxReady ? "SANDBOX_READY" : "SANDBOX_NOTREADY",
                        ["createdAt"] = UnixNanos(p.CreatedAt),
                        ["labels"] = podLabels,
                        ["annotations"] = new JsonObject(),
                        ["runtimeHandler"] = "",
                    });
                }
                return [new JsonObject { ["items"] = items }.ToJsonString(Indented)];
            }
            var trunc = !options.Has("--no-trunc");
            var rows = list.Select(p => (IReadOnlyList<string>)new List<string>
            {
                trunc ? p.Id[..13] : p.Id,
                HumanDuration.Ago(now - p.CreatedAt),
                p.SandboxReady ? "Ready" : "NotReady",
                p.Name,
                p.Namespace,
                p.Attempt.ToString(CultureInfo.InvariantCulture),
                "(default)",
            }).ToList();
            return TextTables.Tabwriter(["POD ID", "CREATED", "STATE", "NAME", "NAMESPACE", "ATTEMPT", "RUNTIME"], rows);
        });
        foreach (var line in lines) await context.OutAsync(line).ConfigureAwait(false);
        return 0;
    }

    private async Task<int> StopAsync(LabCommandContext context, List<string> args)
    {
        var ids = args.Where(a => !a.StartsWith('-')).ToList();
        if (ids.Count == 0) return await FatalAsync(context, "ID cannot be empty").ConfigureAwait(false);
        foreach (var id in ids)
        {
            var found = model.Change(() =>
            {
                var node = model.NodeOf(context.Host);
                var container = node.Runtime.FindContainer(id);
                if (container is null) return false;
                if (container.State != ContainerState.Exited)
                {
                    container.StopRequested = false;
                    model.Exit(node, container, 137, "Error"); // --timeout 0: killed at once; the kubelet restarts it if its pod should run
                }
                return true;
            });
            if (!found) return await FatalAsync(context, $"stopping the container \"{id}\": rpc error: code = NotFound desc = could not find container \"{id}\": container with ID starting with {id} not found: ID does not exist").ConfigureAwait(false);
            await context.OutAsync(id).ConfigureAwait(false);
        }
        return 0;
    }

    private async Task<int> LogsAsync(LabCommandContext context, List<string> args)
    {
        var options = CommandOutput.Options.Parse(args, ["--tail", "--since"], ["-f", "--follow", "-p", "--previous", "-t", "--timestamps"]);
        if (options.Positional.Count != 1) return await FatalAsync(context, "ID cannot be empty").ConfigureAwait(false);
        var id = options.Positional[0];
        var lines = model.Read(() =>
        {
            var container = model.NodeOf(context.Host).Runtime.FindContainer(id);
            if (container is null) return null;
            if (options.Has("-p", "--previous")) container = container.Pod.Exited.LastOrDefault(c => c.Name == container.Name) ?? container;
            return container.Logs.ToList();
        });
        if (lines is null) return await FatalAsync(context, $"rpc error: code = NotFound desc = could not find container \"{id}\"").ConfigureAwait(false);
        if (options.Value("--tail") is { } tail && int.TryParse(tail, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 0)
            lines = lines.Skip(Math.Max(0, lines.Count - n)).ToList();
        foreach (var line in lines)
        {
            // zap loggers (etcd) write to stderr, as the container's stderr stream.
            if (line.StartsWith("{\"level\"", StringComparison.Ordinal)) await context.ErrAsync(line).ConfigureAwait(false);
            else await context.OutAsync(line).ConfigureAwait(false);
        }
        return 0;
    }

    /// <summary>exec into a running container: <c>sh -c SCRIPT</c> or a single command runs in the host's lab shell.</summary>
    private async Task<int> ExecAsync(LabCommandContext context, List<string> args)
    {
        var i = 0;
        while (i < args.Count && args[i].StartsWith('-'))
        {
            if (args[i] is "--timeout" or "--transport") i++;
            i++;
        }
        if (i >= args.Count) return await FatalAsync(context, "ID cannot be empty").ConfigureAwait(false);
        var id = args[i];
        var command = args.Skip(i + 1).ToList();
        if (command.Count == 0) return await FatalAsync(context, "command cannot be empty").ConfigureAwait(false);
        var running = model.Read(() => model.NodeOf(context.Host).Runtime.FindContainer(id) is { IsRunning: true });
        if (!running) return await FatalAsync(context, $"execing command in container: rpc error: code = Unknown desc = container is not created or running").ConfigureAwait(false);

        var script = command is [("sh" or "bash" or "/bin/sh" or "/bin/bash"), "-c", var body, ..]
            ? body
            : string.Join(' ', command.Select(Procedures.Rendering.ShellQuote.Quote));
        var sink = new BufferSink();
        var code = await model.Lab.Transport.Shell.RunAsync(script, context.Host, sink, context.CancellationToken).ConfigureAwait(false);
        foreach (var (stream, text) in sink.Lines)
        {
            if (stream == OutputStream.Stderr) await context.ErrAsync(text).ConfigureAwait(false);
            else await context.OutAsync(text).ConfigureAwait(false);
        }
        if (code != 0) await context.ErrAsync($"time=\"{model.Read(() => model.Now).UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}\" level=fatal msg=\"execing command in container: command terminated with exit code {code}\"").ConfigureAwait(false);
        return code;
    }

    private async Task<int> VersionAsync(LabCommandContext context)
    {
        await context.OutAsync("Version:  0.1.0").ConfigureAwait(false);
        await context.OutAsync("RuntimeName:  cri-o").ConfigureAwait(false);
        await context.OutAsync("RuntimeVersion:  " + model.Release.CrioVersion["cri-o://".Length..]).ConfigureAwait(false);
        await context.OutAsync("RuntimeApiVersion:  v1").ConfigureAwait(false);
        return 0;
    }

    private sealed class BufferSink : IOutputSink
    {
        private readonly object _gate = new();
        private readonly List<(OutputStream, string)> _lines = [];

        public IReadOnlyList<(OutputStream Stream, string Text)> Lines
        {
            get { lock (_gate) return _lines.ToList(); }
        }

        public void Line(OutputStream stream, string text)
        {
            lock (_gate) _lines.Add((stream, text));
        }
    }
}
