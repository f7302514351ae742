using System.Globalization;
using RecoveryConsole.Lab.Shell;

namespace RecoveryConsole.Lab.Ocp4.Commands;

/// <summary>
/// systemctl start|stop|restart|status|is-active for the units the procedures touch (kubelet, crio, ovs-vswitchd,
/// ovsdb-server). Changing a unit needs root. Restarting the kubelet keeps containers running and re-reads its
/// certificates from /var/lib/kubelet/pki (none valid: it bootstraps with a CSR). <c>systemctl reboot</c> reboots the host
/// (<see cref="RebootCommand"/>).
/// </summary>
internal sealed class SystemctlCommand(Ocp4Cluster model) : ILabCommand
{
    public string Name => "systemctl";

    public async Task<int> RunAsync(LabCommandContext context)
    {
        var words = context.Args.Where(a => !a.StartsWith('-')).ToList();
        if (words.Count == 0)
        {
            await context.ErrAsync("systemctl: listing units is not simulated; name a verb and a unit").ConfigureAwait(false);
            return 1;
        }
        var verb = words[0];
        if (verb == "reboot") return await RebootCommand.RebootAsync(model, context).ConfigureAwait(false);
        var units = words.Skip(1).Select(u => u.EndsWith(".service", StringComparison.Ordinal) ? u[..^8] : u).ToList();
        if (units.Count == 0)
        {
            await context.ErrAsync($"Too few arguments.").ConfigureAwait(false);
            return 1;
        }
        foreach (var unit in units.Where(u => !Ocp4Node.UnitNames.Contains(u)))
        {
            await context.ErrAsync(verb is "status" or "is-active" ? $"Unit {unit}.service could not be found." : $"Failed to {verb} {unit}.service: Unit {unit}.service not found.").ConfigureAwait(false);
            return verb == "is-active" ? 3 : verb == "status" ? 4 : 5;
        }
        switch (verb)
        {
            case "start" or "stop" or "restart" or "try-restart" or "reload-or-restart":
                if (!context.Privileged)
                {
                    await context.ErrAsync($"Failed to {verb} {units[0]}.service: Interactive authentication required.").ConfigureAwait(false);
                    await context.ErrAsync($"See system logs and 'systemctl status {units[0]}.service' for details.").ConfigureAwait(false);
                    return 1;
                }
                model.Change(() =>
                {
                    var node = model.NodeOf(context.Host);
                    foreach (var unit in units) Apply(node, verb, unit);
                });
                return 0;
            case "is-active":
                var states = model.Read(() => units.Select(u => model.NodeOf(context.Host).Units[u].Active).ToList());
                foreach (var active in states) await context.OutAsync(active ? "active" : "inactive").ConfigureAwait(false);
                return states.All(a => a) ? 0 : 3;
            case "status":
                var (lines, allActive) = model.Read(() =>
                {
                    var node = model.NodeOf(context.Host);
                    var result = new List<string>();
                    foreach (var unit in units)
                    {
                        if (result.Count > 0) result.Add("");
                        result.AddRange(Status(node, node.Units[unit]));
                    }
                    return (result, units.All(u => node.Units[u].Active));
                });
                foreach (var line in lines) await context.OutAsync(line).ConfigureAwait(false);
                return allActive ? 0 : 3;
            default:
                await context.ErrAsync($"Unknown command verb {verb}.").ConfigureAwait(false);
                return 1;
        }
    }

    private void Apply(Ocp4Node node, string verb, string unit)
    {
        if (unit == "kubelet")
        {
            switch (verb)
            {
                case "stop": model.StopKubelet(node); break;
                case "start" when !node.KubeletUnit.Active: model.RestartKubelet(node); break;
                case "start": break;
                default: model.RestartKubelet(node); break;
            }
            return;
        }
        var state = node.Units[unit];
        model.Journal(node, unit, verb == "stop" ? $"Stopping {Description(unit)}..." : $"Starting {Description(unit)}...");
        state.Active = verb != "stop";
        state.Since = model.Now;
        state.MainPid += 23;
        model.Journal(node, unit, verb == "stop" ? $"Stopped {Description(unit)}." : $"Started {Description(unit)}.");
    }

    internal static string Description(string unit) => unit switch
    {
        "kubelet" => "Kubernetes Kubelet",
        "crio" => "Container Runtime Interface for OCI (CRI-O)",
        "ovs-vswitchd" => "Open vSwitch Forwarding Unit",
        _ => "Open vSwitch Database Unit",
    };

    private IEnumerable<string> Status(Ocp4Node node, UnitState unit)
    {
        var now = model.Now;
        var since = unit.Since.UtcDateTime.ToString("ddd yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
        var ago = Runtime.HumanDuration.Format(now - unit.Since).ToLowerInvariant().Replace("about a", "1", StringComparison.Ordinal).Replace("less than a second", "0s", StringComparison.Ordinal);
        yield return $"{(unit.Active ? "●" : "○")} {unit.Name}.service - {Description(unit.Name)}";
        yield return $"     Loaded: loaded (/etc/systemd/system/{unit.Name}.service; enabled; preset: disabled)";
        yield return unit.Active
            ? $"     Active: active (running) since {since}; {ago} ago"
            : $"     Active: inactive (dead) since {since}; {ago} ago";
        if (unit.Active)
        {
            yield return $"   Main PID: {unit.MainPid} ({(unit.Name == "kubelet" ? "kubelet" : unit.Name)})";
            yield return $"     CGroup: /system.slice/{unit.Name}.service";
        }
        yield return "";
        foreach (var (time, text) in unit.Journal.TakeLast(10)) yield return JournalLine(node, unit, time, text);
    }

    internal static string JournalLine(Ocp4Node node, UnitState unit, DateTimeOffset time, string text)
    {
        var process = text.StartsWith("Start", StringComparison.Ordinal) || text.StartsWith("Stop", StringComparison.Ordinal) || text.Contains("Deactivated", StringComparison.Ordinal)
            ? "systemd[1]"
            : $"{(unit.Name == "kubelet" ? "kubenswrapper" : unit.Name)}[{unit.MainPid}]";
        return $"{time.UtcDateTime.ToString("MMM dd HH:mm:ss", CultureInfo.InvariantCulture)} {node.Name} {process}: {text}";
    }
}

/// <summary>journalctl -u UNIT [-n N] [--no-pager]: the unit's journal as systemctl status shows its tail.</summary>
internal sealed class JournalctlCommand(Ocp4Cluster model) : ILabCommand
{
    public string Name => "journalctl";

    public async Task<int> RunAsync(LabCommandContext context)
    {
        var options = CommandOutput.Options.Parse(context.Args, ["-u", "--unit", "-n", "--lines", "--since"], ["--no-pager", "-f", "--follow", "-b", "-l", "-x", "-e"]);
        var unit = options.Value("-u", "--unit")?.Replace(".service", "", StringComparison.Ordinal);
        if (unit is null || !Ocp4Node.UnitNames.Contains(unit))
        {
            await context.OutAsync("-- No entries --").ConfigureAwait(false);
            return 0;
        }
        var lines = model.Read(() =>
        {
            var node = model.NodeOf(context.Host);
            var state = node.Units[unit];
            return state.Journal.Select(j => SystemctlCommand.JournalLine(node, state, j.Time, j.Text)).ToList();
        });
        if (options.Value("-n", "--lines") is { } n && int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            lines = lines.Skip(Math.Max(0, lines.Count - count)).ToList();
        if (lines.Count == 0) lines.Add("-- No entries --");
        foreach (var line in lines) await context.OutAsync(line).ConfigureAwait(false);
        return 0;
    }
}
