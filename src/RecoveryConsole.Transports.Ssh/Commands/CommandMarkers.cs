using System.Globalization;
using System.Security.Cryptography;
using RecoveryConsole.Procedures.Rendering;

namespace RecoveryConsole.Transports.Ssh.Commands;

/// <summary>
/// Wraps a command so the remote side reports two facts ssh alone cannot: the process group to signal on cancel, and
/// the command's own exit status (ssh exits 255 both for its own failures and when the command does).
/// <code>printf '%s_start %s\n' __RC_n "$$"; ( eval 'cmd' ); s=$?; printf '%s_exit %s\n' __RC_n "$s"; exit "$s"</code>
/// <list type="bullet">
/// <item>sshd starts the login shell as a session leader, so its <c>$$</c> is the process group of everything the command starts.</item>
/// <item>The command runs in a subshell of the login shell (the same interpreter as a plain <c>ssh host cmd</c>), so an
/// <c>exit</c> or <c>exec</c> in it cannot skip the exit marker, and <c>eval</c> turns a syntax error into an ordinary exit status.</item>
/// <item>The random nonce makes the markers unguessable for the command's output; the marker text is assembled by printf,
/// so it never appears literally in the command line (a <c>ps</c> listing in the output cannot fake it).</item>
/// </list>
/// </summary>
internal sealed class CommandMarkers
{
    private readonly string _tag;
    private readonly string _start;
    private readonly string _exit;

    private CommandMarkers(string nonce)
    {
        _tag = "__RC_" + nonce;
        _start = _tag + "_start ";
        _exit = _tag + "_exit ";
    }

    public static CommandMarkers Create() => new(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)));

    internal static CommandMarkers WithNonce(string nonce) => new(nonce);

    public string Wrap(string command) =>
        $"printf '%s_start %s\\n' {_tag} \"$$\"; ( eval {ShellQuote.Quote(command)} ); __rc_status=$?; " +
        $"printf '%s_exit %s\\n' {_tag} \"$__rc_status\"; exit \"$__rc_status\"";

    /// <summary>
    /// As <see cref="Wrap"/>, held back until the console says so: the remote shell prints <c>__RC_nonce_armed</c>, then
    /// waits for the line <c>go</c> on its stdin. End-of-file instead (the console disarmed it, or died) ends the shell
    /// before the command or the start marker: nothing ran. The command itself then reads end-of-file, as with <c>ssh -n</c>.
    /// </summary>
    public string WrapArmed(string command) =>
        $"printf '%s_armed\\n' {_tag}; IFS= read -r __rc_go && [ \"$__rc_go\" = go ] || exit 0; " + Wrap(command);

    /// <summary>The armed wrapper's first line: the remote shell waits for the signal.</summary>
    public bool IsArmed(string line) => line.Length == _tag.Length + 6 && line.StartsWith(_tag, StringComparison.Ordinal) && line.EndsWith("_armed", StringComparison.Ordinal);

    /// <summary>The wrapper's first line: <c>__RC_nonce_start PGID</c>.</summary>
    public bool TryParseStart(string line, out int processGroup)
    {
        processGroup = 0;
        return line.StartsWith(_start, StringComparison.Ordinal)
               && int.TryParse(line.AsSpan(_start.Length), NumberStyles.None, CultureInfo.InvariantCulture, out processGroup)
               && processGroup > 1; // never signal group 1 (or "all processes")
    }

    /// <summary>Could this line carry the exit marker (cheap test for every line)?</summary>
    public bool MayEndWithExit(string line) => line.Contains(_exit, StringComparison.Ordinal);

    /// <summary>
    /// The wrapper's last line: <c>__RC_nonce_exit N</c>, possibly glued to the command's final line when that had no
    /// newline; <paramref name="prefix"/> is that final line (empty otherwise).
    /// </summary>
    public bool TryParseExit(string line, out string prefix, out int exitCode)
    {
        prefix = "";
        exitCode = 0;
        var at = line.LastIndexOf(_exit, StringComparison.Ordinal);
        if (at < 0 || !int.TryParse(line.AsSpan(at + _exit.Length), NumberStyles.None, CultureInfo.InvariantCulture, out exitCode)) return false;
        prefix = line[..at];
        return true;
    }
}
