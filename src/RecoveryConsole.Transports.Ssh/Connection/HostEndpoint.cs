using System.Globalization;
using System.Text.RegularExpressions;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Transports.Ssh.Connection;

/// <summary>One host as ssh addresses it: where, which port, as whom.</summary>
internal sealed partial record HostEndpoint(string Name, string Address, int Port, string User)
{
    // A host name, an IPv4 address or a bare IPv6 address. Never a leading '-' (ssh would read an option).
    [GeneratedRegex(@"^(?:[A-Za-z0-9][A-Za-z0-9.-]*|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(?:%[A-Za-z0-9_.-]+)?)\z")]
    private static partial Regex AddressSyntax();

    public static HostEndpoint For(HostInfo host, SshClusterProfile profile)
    {
        ArgumentNullException.ThrowIfNull(host);
        return new HostEndpoint(host.Name, NormalizeAddress(host.Name, host.Address), profile.Port, profile.User);
    }

    /// <summary>The address without IPv6 brackets; refuses anything ssh could read as an option or a second word.</summary>
    public static string NormalizeAddress(string hostName, string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var bare = address.Trim();
        if (bare.StartsWith('[') && bare.EndsWith(']')) bare = bare[1..^1];
        if (bare.Length == 0 || !AddressSyntax().IsMatch(bare))
            throw new ArgumentException($"Host {hostName}: '{address}' is not a host name or IP address.", nameof(address));
        return bare;
    }

    /// <summary>How ssh and ssh-keyscan name this host in known_hosts: the bare address on port 22, <c>[address]:port</c> otherwise.</summary>
    public string KnownHostsName => KnownHostsNameOf(Address, Port);

    public static string KnownHostsNameOf(string address, int port) =>
        port == 22 ? address : $"[{address}]:{port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>This endpoint is the cluster's jump host, not one of its hosts (messages say so).</summary>
    public bool IsJumpHost { get; init; }

    public string Display => (IsJumpHost ? "jump host " : "") + (Address.Contains(':')
        ? $"[{Address}]:{Port.ToString(CultureInfo.InvariantCulture)}"
        : $"{Address}:{Port.ToString(CultureInfo.InvariantCulture)}");
}
