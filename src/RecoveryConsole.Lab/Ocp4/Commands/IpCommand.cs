using System.Globalization;
using RecoveryConsole.Lab.Shell;

namespace RecoveryConsole.Lab.Ocp4.Commands;

/// <summary>
/// ip [-o] [-4] address [show [dev D]] | ip address del|add ADDR[/LEN] dev D: the host's addresses on br-ex, with
/// the virtual IPs keepalived put there (a VIP left behind by a keepalived that stopped is still listed).
/// </summary>
internal sealed class IpCommand(Ocp4Cluster model) : ILabCommand
{
    public string Name => "ip";

    public async Task<int> RunAsync(LabCommandContext context)
    {
        var args = context.Args.ToList();
        var oneLine = false;
        while (args.Count > 0 && args[0].StartsWith('-'))
        {
            if (args[0] is "-o" or "-oneline" or "--oneline") oneLine = true;
            args.RemoveAt(0);
        }
        if (args.Count == 0 || !"address".StartsWith(args[0], StringComparison.Ordinal) || args[0].Length == 0)
        {
            await context.ErrAsync($"Object \"{(args.Count > 0 ? args[0] : "")}\" is unknown, try \"ip help\".").ConfigureAwait(false);
            return 1;
        }
        var verb = args.Count > 1 ? args[1] : "show";
        switch (verb)
        {
            case "show" or "list" or "lst":
                var device = args.Count > 3 && args[2] == "dev" ? args[3] : null;
                var lines = model.Read(() => Show(model.NodeOf(context.Host), oneLine, device));
                foreach (var line in lines) await context.OutAsync(line).ConfigureAwait(false);
                return 0;
            case "del" or "delete" or "add":
                return await ChangeAsync(context, verb, args.Skip(2).ToList()).ConfigureAwait(false);
            default:
                await context.ErrAsync($"Command \"{verb}\" is unknown, try \"ip address help\".").ConfigureAwait(false);
                return 1;
        }
    }

    private async Task<int> ChangeAsync(LabCommandContext context, string verb, List<string> args)
    {
        var devAt = args.IndexOf("dev");
        if (args.Count == 0 || devAt < 1 || devAt + 1 >= args.Count)
        {
            await context.ErrAsync("Not enough information: \"dev\" argument is required.").ConfigureAwait(false);
            return 1;
        }
        if (!context.Privileged)
        {
            await context.ErrAsync("RTNETLINK answers: Operation not permitted").ConfigureAwait(false);
            return 2;
        }
        var address = args[0];
        var slash = address.IndexOf('/');
        var ip = slash < 0 ? address : address[..slash];
        if (verb != "add" && slash < 0)
        {
            await context.ErrAsync("Warning: Executing wildcard deletion to stay compatible with old scripts.").ConfigureAwait(false);
            await context.ErrAsync($"         Explicitly specify the prefix length ({ip}/32) to avoid this warning.").ConfigureAwait(false);
            await context.ErrAsync("         This special behaviour is likely to disappear in further releases,").ConfigureAwait(false);
            await context.ErrAsync("         fix your scripts today!").ConfigureAwait(false);
        }
        var device = args[devAt + 1];
        var result = model.Change(() =>
        {
            var node = model.NodeOf(context.Host);
            if (device != model.Network.Device) return $"Cannot find device \"{device}\"";
            if (verb == "add")
            {
                if (node.Vips.Contains(ip) || node.Address == ip) return "RTNETLINK answers: File exists";
                node.Vips.Add(ip);
                return null;
            }
            return node.Vips.Remove(ip) ? null : "RTNETLINK answers: Cannot assign requested address";
        });
        if (result is null) return 0;
        await context.ErrAsync(result).ConfigureAwait(false);
        return result.StartsWith("Cannot find", StringComparison.Ordinal) ? 1 : 2;
    }

    private List<string> Show(Ocp4Node node, bool oneLine, string? device)
    {
        var mac = "00:50:56:" + string.Join(':', LabIds.Digest(node.Name).Take(6).Chunk(2).Select(c => new string(c)));
        var network = node.Address[..node.Address.LastIndexOf('.')] + ".255";
        var lines = new List<string>();
        if (device is null or "lo")
        {
            if (oneLine)
            {
                lines.Add("1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever");
            }
            else
            {
                lines.Add("1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000");
                lines.Add("    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00");
                lines.Add("    inet 127.0.0.1/8 scope host lo");
                lines.Add("       valid_lft forever preferred_lft forever");
            }
        }
        if (device is null or "ens192" && !oneLine)
        {
            lines.Add("2: ens192: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq master ovs-system state UP group default qlen 1000");
            lines.Add($"    link/ether {mac} brd ff:ff:ff:ff:ff:ff");
        }
        if (device is not null && device != model.Network.Device) return lines;
        const string index = "5";
        if (!oneLine)
        {
            lines.Add($"{index}: {model.Network.Device}: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UNKNOWN group default qlen 1000");
            lines.Add($"    link/ether {mac} brd ff:ff:ff:ff:ff:ff");
        }
        var prefix = model.Network.PrefixLength.ToString(CultureInfo.InvariantCulture);
        var primary = $"inet {node.Address}/{prefix} brd {network} scope global dynamic noprefixroute {model.Network.Device}";
        const string primaryLifetime = "valid_lft 2591854sec preferred_lft 2591854sec";
        lines.AddRange(oneLine ? [$"{index}: {model.Network.Device}    {primary}\\       {primaryLifetime}"] : [$"    {primary}", $"       {primaryLifetime}"]);
        foreach (var vip in node.Vips)
        {
            var entry = $"inet {vip}/32 scope global {model.Network.Device}";
            lines.AddRange(oneLine ? [$"{index}: {model.Network.Device}    {entry}\\       valid_lft forever preferred_lft forever"] : [$"    {entry}", "       valid_lft forever preferred_lft forever"]);
        }
        return lines;
    }
}
