using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using RecoveryConsole.Procedures.Rendering;

namespace RecoveryConsole.Transports.Ssh.Connection;

/// <summary>
/// Builds ssh's arguments. Options given on the command line win over the operator's ssh_config, so everything that
/// decides safety is pinned here (strict host keys against the console's file, no prompts, no forwarding); the
/// rest (ciphers, certificates, their own ProxyJump when the profile has none) is left to ssh_config.
/// </summary>
internal sealed partial class SshCommandLine
{
    /// <summary>sun_path holds 108 bytes including the NUL; ssh appends ".XXXXXXXXXXXXXXXX" while it creates a master.</summary>
    private const int MaxSocketPath = 107 - 17;

    private readonly SshSettings _settings;
    private readonly SshClusterProfile _profile;
    private readonly string _controlDirectory;

    public SshCommandLine(SshSettings settings, SshClusterProfile profile, string controlDirectory)
    {
        _settings = settings;
        _profile = profile;
        _controlDirectory = controlDirectory;
        RejectUnsafePath(profile.KnownHostsFile, "KnownHostsFile");
        var longest = ControlPathFor(new HostEndpoint("probe", "probe", 1, profile.User));
        if (Encoding.UTF8.GetByteCount(longest) > MaxSocketPath)
            throw new ArgumentException(
                $"SSH control sockets under '{controlDirectory}' would exceed the 108-byte socket path limit; set SshSettings.RuntimeDirectory to a shorter directory such as /tmp.");
    }

    /// <summary>The unencrypted key file for this transport's life, if the profile names a stored key.</summary>
    public string? IdentityFile { get; set; }

    /// <summary>One socket per host and user: a short hash keeps the path far below the 108-byte limit.</summary>
    public string ControlPathFor(HostEndpoint endpoint)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{endpoint.User}@{endpoint.Address}:{endpoint.Port.ToString(CultureInfo.InvariantCulture)}"));
        return Path.Combine(_controlDirectory, PrivateDirectory.SocketPrefix + Convert.ToHexStringLower(hash)[..16]);
    }

    /// <summary>Opens the host's master connection and returns once the login succeeded (-f backgrounds it; -N runs nothing).</summary>
    public List<string> Master(HostEndpoint endpoint)
    {
        var args = Common(endpoint);
        args.AddRange(["-o", "ControlMaster=auto", "-o", "ControlPath=" + Escape(ControlPathFor(endpoint)),
            "-o", "ControlPersist=" + Seconds(_settings.ControlPersist), "-f", "-N", "--", endpoint.Address]);
        return args;
    }

    /// <summary>Runs <paramref name="remoteCommand"/>: through the master when connections are reused, on a new connection otherwise.</summary>
    public List<string> Command(HostEndpoint endpoint, string remoteCommand, bool withStdin)
    {
        var args = Common(endpoint);
        if (_profile.ReuseConnections)
            // "no": use the master if it is there, else connect directly; never become a master in the middle of a step.
            args.AddRange(["-o", "ControlMaster=no", "-o", "ControlPath=" + Escape(ControlPathFor(endpoint))]);
        else
            args.AddRange(["-o", "ControlMaster=no", "-o", "ControlPath=none"]);
        if (!withStdin) args.Add("-n");
        args.AddRange(["--", endpoint.Address, remoteCommand]);
        return args;
    }

    /// <summary>A request to the master (check, exit); local only, it never touches the network.</summary>
    public List<string> Control(HostEndpoint endpoint, string operation) =>
        ["-o", "ControlPath=" + Escape(ControlPathFor(endpoint)), "-o", "LogLevel=ERROR", "-O", operation, "--", endpoint.Address];

    /// <summary>
    /// A connection that learns the host's key without logging in: every authentication method is off and the key is
    /// written (accept-new) to a throwaway file, never to the console's. Used to scan a host behind a jump host,
    /// which ssh-keyscan cannot reach.
    /// </summary>
    public List<string> KeyProbe(HostEndpoint endpoint, string throwawayKnownHosts)
    {
        RejectUnsafePath(throwawayKnownHosts, "throwaway known_hosts");
        List<string> args =
        [
            "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=accept-new", "-o", "UserKnownHostsFile=" + Escape(throwawayKnownHosts),
            "-o", "GlobalKnownHostsFile=/dev/null", "-o", "HashKnownHosts=no", "-o", "UpdateHostKeys=no", "-o", "CheckHostIP=no",
            "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=" + Seconds(_profile.ConnectTimeout),
            "-o", "PubkeyAuthentication=no", "-o", "PasswordAuthentication=no", "-o", "KbdInteractiveAuthentication=no",
            "-o", "HostbasedAuthentication=no", "-o", "GSSAPIAuthentication=no",
            "-o", "ControlMaster=no", "-o", "ControlPath=none", "-T", "-n",
        ];
        if (_profile.JumpHost is { } jump) args.AddRange(["-o", "ProxyCommand=" + ProxyCommand(jump)]);
        args.AddRange(["-p", endpoint.Port.ToString(CultureInfo.InvariantCulture), "-l", endpoint.User, "--", endpoint.Address, "true"]);
        return args;
    }

    /// <summary>A plain login to the jump host that runs <c>true</c>: tells why the hop failed, which a master hides.</summary>
    public List<string> JumpProbe(HostEndpoint jump)
    {
        var args = Pinned();
        args.AddRange(["-o", "ControlMaster=no", "-o", "ControlPath=none", "-T", "-n",
            "-p", jump.Port.ToString(CultureInfo.InvariantCulture), "-l", jump.User, "--", jump.Address, "true"]);
        return args;
    }

    private List<string> Common(HostEndpoint endpoint)
    {
        var args = Pinned();
        if (_profile.JumpHost is { } jump) args.AddRange(["-o", "ProxyCommand=" + ProxyCommand(jump)]);
        args.AddRange(["-T", "-p", endpoint.Port.ToString(CultureInfo.InvariantCulture), "-l", endpoint.User]);
        return args;
    }

    /// <summary>The options that make a connection trustworthy and non-interactive; the jump connection gets them too.</summary>
    private List<string> Pinned()
    {
        List<string> args =
        [
            "-o", "BatchMode=yes",                       // never prompt: no password, no "are you sure"
            "-o", "StrictHostKeyChecking=yes",           // unknown or changed host keys are refused
            "-o", "UserKnownHostsFile=" + Escape(_profile.KnownHostsFile),
            "-o", "GlobalKnownHostsFile=/dev/null",      // trust comes from the console's file only
            "-o", "UpdateHostKeys=no",                   // the console's file changes only when an operator accepts a key
            "-o", "CheckHostIP=no",
            "-o", "VerifyHostKeyDNS=no",
            "-o", "ForwardAgent=no",
            "-o", "ForwardX11=no",
            "-o", "PermitLocalCommand=no",
            "-o", "GSSAPIAuthentication=no",
            "-o", "PasswordAuthentication=no",
            "-o", "KbdInteractiveAuthentication=no",
            "-o", "LogLevel=ERROR",                      // ssh's own lines are errors only: easy to tell from remote output
            "-o", "ConnectTimeout=" + Seconds(_profile.ConnectTimeout),
            "-o", "ServerAliveInterval=" + Seconds(_settings.ServerAliveInterval),
            "-o", "ServerAliveCountMax=" + _settings.ServerAliveCountMax.ToString(CultureInfo.InvariantCulture),
        ];
        if (IdentityFile is not null)
            // Only the console's key, and no agent: what logs in is exactly what the cluster's settings say.
            args.AddRange(["-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none", "-o", "IdentityFile=" + Escape(IdentityFile)]);
        return args;
    }

    /// <summary>
    /// The jump hop as an explicit ProxyCommand rather than ProxyJump: ssh does not pass command-line options to the
    /// ssh it starts for ProxyJump, so the jump host's key would otherwise be checked against the user's own files.
    /// </summary>
    private string ProxyCommand(JumpHost jump)
    {
        var words = new List<string> { _settings.SshPath };
        words.AddRange(Pinned());
        words.AddRange(["-o", "ControlMaster=no", "-o", "ControlPath=none", "-T",
            "-W", "[%h]:%p", "-p", jump.Port.ToString(CultureInfo.InvariantCulture), "-l", jump.User, "--", jump.Address]);
        // ssh runs it as "exec <command>" through the user's shell and expands %-tokens in it: words with shell
        // characters are quoted, and the '%' of literal text is doubled.
        return string.Join(' ', words.Select(w => w == "[%h]:%p" ? ShellQuote.Quote(w) : ShellWord(w).Replace("%", "%%", StringComparison.Ordinal)));
    }

    /// <summary>A word for the ProxyCommand's shell: bare when it holds nothing special (so "-o" stays readable), quoted otherwise.</summary>
    private static string ShellWord(string word) => PlainWord().IsMatch(word) ? word : ShellQuote.Quote(word);

    [GeneratedRegex("^[A-Za-z0-9_./:=@%+,-]+\\z")]
    private static partial Regex PlainWord();

    private static string Seconds(TimeSpan t) => Math.Max(1, (int)Math.Ceiling(t.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    /// <summary>ssh expands %-tokens in paths; a literal '%' is written twice.</summary>
    private static string Escape(string path) => path.Replace("%", "%%", StringComparison.Ordinal);

    /// <summary>ssh splits option values at whitespace and quotes: such a path would silently name other files.</summary>
    private static void RejectUnsafePath(string path, string what)
    {
        if (path.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'' or '\\' || char.IsControl(c)))
            throw new ArgumentException($"{what} '{path}' contains whitespace, quotes or backslashes, which ssh options cannot carry.");
    }
}
