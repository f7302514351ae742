using System.Text.RegularExpressions;
using RecoveryConsole.Procedures.Model;
using RecoveryConsole.Transports.Ssh.Failures;

namespace RecoveryConsole.Transports.Ssh.Connection;

/// <summary>
/// Reads what ssh printed when it exited 255 before the remote command started, and names the outcome. With
/// LogLevel=ERROR ssh prints only its error lines, whose wording is stable across OpenSSH releases; the original
/// lines are kept in the exception, so an unrecognised message is still shown as ssh wrote it.
/// </summary>
internal static partial class SshDiagnostics
{
    [GeneratedRegex(@"No (?<type>\S+) host key is known for")]
    private static partial Regex UnknownKey();

    [GeneratedRegex(@"The fingerprint for the (?<type>\S+) key sent by the remote host is")]
    private static partial Regex ChangedKeyType();

    [GeneratedRegex(@"^(?<fp>SHA256:[A-Za-z0-9+/]+)\.?$")]
    private static partial Regex FingerprintLine();

    [GeneratedRegex(@"Permission denied \((?<methods>[^)]*)\)")]
    private static partial Regex PermissionDenied();

    public static SshConnectionException Classify(HostEndpoint endpoint, SshClusterProfile profile, IReadOnlyList<string> lines, int exitCode)
    {
        var failure = Name(endpoint, profile, lines, exitCode);
        failure.Endpoint = endpoint;
        return failure;
    }

    private static SshConnectionException Name(HostEndpoint endpoint, SshClusterProfile profile, IReadOnlyList<string> lines, int exitCode)
    {
        var text = string.Join('\n', lines);
        var said = lines.LastOrDefault(l => l.Trim().Length > 0 && !l.StartsWith('@'))?.Trim();
        var quote = said is null ? $"ssh exited with {exitCode} and printed nothing" : $"ssh: \"{said}\"";
        var host = endpoint.Name;
        var where = endpoint.Display;

        if (text.Contains("REMOTE HOST IDENTIFICATION HAS CHANGED", StringComparison.Ordinal))
        {
            var type = ChangedKeyType().Match(text) is { Success: true } t ? t.Groups["type"].Value : "host";
            var offered = lines.Select(l => FingerprintLine().Match(l.Trim())).FirstOrDefault(m => m.Success)?.Groups["fp"].Value;
            return new HostKeyChangedException(host, type, offered, profile.KnownHostsFile,
                $"REMOTE HOST IDENTIFICATION HAS CHANGED for {where}: it offered the {type} key {offered ?? "(fingerprint not shown)"}, " +
                $"which is not the key the console trusts in {profile.KnownHostsFile}. This is a reinstalled host or a man-in-the-middle attack; " +
                "the connection was refused before anything was sent. Verify the new fingerprint on the host's console before replacing the trusted key",
                lines);
        }
        if (UnknownKey().Match(text) is { Success: true } unknown)
            return Unknown(host, where, unknown.Groups["type"].Value, null, [], lines);
        if (text.Contains("Host key verification failed", StringComparison.Ordinal))
            return Unknown(host, where, "host", null, [], lines);
        if (PermissionDenied().Match(text) is { Success: true } denied)
            return new SshLoginRefusedException(host, endpoint.User, denied.Groups["methods"].Value,
                $"{where} refused the login of user '{endpoint.User}' with the console's key (methods the host accepts: {denied.Groups["methods"].Value}); " +
                $"check that the key's public half is in ~{endpoint.User}/.ssh/authorized_keys there ({quote})", lines);
        if (text.Contains("Too many authentication failures", StringComparison.Ordinal))
            return new SshLoginRefusedException(host, endpoint.User, "",
                $"{where} refused the login of user '{endpoint.User}' after too many keys were offered ({quote})", lines);
        if (Has(text, "Connection timed out", "Operation timed out", "timed out during banner exchange"))
            return new SshConnectionException(host, SshFailureKind.ConnectTimeout,
                $"no SSH answer from {where} within {Durations.Format(profile.ConnectTimeout)}: the host is down, the address is wrong or a firewall drops the traffic ({quote})", lines);
        if (text.Contains("Connection refused", StringComparison.Ordinal))
            return new SshConnectionException(host, SshFailureKind.Unreachable,
                $"{where} refused the connection: no SSH server listens on that port, or a firewall rejects it ({quote})", lines);
        if (Has(text, "No route to host", "Network is unreachable", "Host is down"))
            return new SshConnectionException(host, SshFailureKind.Unreachable,
                $"there is no network path to {where} ({quote})", lines);
        if (Has(text, "Could not resolve hostname", "Name or service not known", "Temporary failure in name resolution"))
            return new SshConnectionException(host, SshFailureKind.Unreachable,
                $"the name {endpoint.Address} does not resolve ({quote})", lines);
        if (Has(text, "Connection closed by", "Connection reset by", "kex_exchange_identification", "closed by remote host", "Broken pipe"))
            return new SshConnectionException(host, SshFailureKind.Unreachable,
                $"{where} closed the connection before a session was open ({quote})", lines);
        if (Has(text, "Load key", "invalid format", "UNPROTECTED PRIVATE KEY FILE", "bad permissions", "no such identity", "Bad owner or permissions", "Bad configuration option"))
            return new SshConnectionException(host, SshFailureKind.ClientError,
                $"the console's ssh client could not start the connection to {where} ({quote})", lines);
        return new SshConnectionException(host, SshFailureKind.ClientError,
            $"ssh could not open a session on {where} ({quote})", lines);
    }

    /// <summary>An unknown-host-key failure, with the fingerprint a scan saw when there is one.</summary>
    public static HostKeyUnknownException Unknown(string host, string where, string keyType, string? fingerprint,
        IReadOnlyList<HostKeys.ScannedHostKey> offered, IReadOnlyList<string> lines) =>
        new(host, keyType, fingerprint, offered,
            fingerprint is null
                ? $"the {keyType} host key of {where} is not trusted yet and a scan could not read it; nothing was sent to the host"
                : $"the {keyType} host key of {where} is not trusted yet: its fingerprint is {fingerprint}. Compare it with the fingerprint shown on the host's console, " +
                  "then accept it in the cluster's connection settings; nothing was sent to the host",
            lines);

    private static bool Has(string text, params string[] needles) => needles.Any(n => text.Contains(n, StringComparison.Ordinal));
}
