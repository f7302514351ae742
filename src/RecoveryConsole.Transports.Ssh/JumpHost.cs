using System.Globalization;
using System.Text.RegularExpressions;

namespace RecoveryConsole.Transports.Ssh;

/// <summary>A bastion every connection goes through, written as ProxyJump writes it: <c>user@host:port</c> (user and port optional).</summary>
public sealed partial record JumpHost(string User, string Address, int Port)
{
    // Bracketed IPv6 ("[fd00::1]:2222"), or a name/IPv4 with an optional port.
    [GeneratedRegex(@"^(?:(?<user>[A-Za-z0-9_][A-Za-z0-9_.-]*)@)?(?:\[(?<v6>[0-9A-Fa-f:.%]+)\]|(?<host>[A-Za-z0-9][A-Za-z0-9.-]*))(?::(?<port>[0-9]{1,5}))?\z")]
    private static partial Regex Syntax();

    public static JumpHost Parse(string text, string defaultUser)
    {
        ArgumentNullException.ThrowIfNull(text);
        var m = Syntax().Match(text.Trim());
        if (!m.Success)
            throw new FormatException($"Jump host '{text}' is not of the form user@host:port.");
        var port = m.Groups["port"].Success ? int.Parse(m.Groups["port"].Value, CultureInfo.InvariantCulture) : 22;
        if (port is < 1 or > 65535) throw new FormatException($"Jump host '{text}' has an invalid port.");
        var address = m.Groups["v6"].Success ? m.Groups["v6"].Value : m.Groups["host"].Value;
        return new JumpHost(m.Groups["user"].Success ? m.Groups["user"].Value : defaultUser, address, port);
    }

    public override string ToString() =>
        $"{User}@{(Address.Contains(':') ? $"[{Address}]" : Address)}:{Port.ToString(CultureInfo.InvariantCulture)}";
}
