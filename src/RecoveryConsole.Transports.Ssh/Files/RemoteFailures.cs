namespace RecoveryConsole.Transports.Ssh.Files;

/// <summary>Turns what a host's tools said on stderr into a sentence an operator can act on.</summary>
internal static class RemoteFailures
{
    /// <summary>sudo's own refusal (a password wanted, a tty wanted, not in sudoers); null when sudo did not refuse.</summary>
    public static string? SudoRefusal(string host, string user, IReadOnlyList<string> stderr)
    {
        var said = stderr.FirstOrDefault(l => l.StartsWith("sudo:", StringComparison.Ordinal) || l.Contains("sudoers", StringComparison.Ordinal));
        if (said is null) return null;
        if (said.Contains("password is required", StringComparison.Ordinal) || said.Contains("terminal is required to read the password", StringComparison.Ordinal))
            return $"sudo on {host} asks for a password: the console needs passwordless sudo (sudo -n) for {user}.";
        if (said.Contains("must have a tty", StringComparison.Ordinal))
            return $"sudo on {host} insists on a terminal (requiretty): the console needs passwordless sudo without requiretty for {user}.";
        if (said.Contains("not in the sudoers", StringComparison.Ordinal) || said.Contains("not allowed to", StringComparison.Ordinal) || said.Contains("may not run sudo", StringComparison.Ordinal))
            return $"sudo on {host} refuses {user} (\"{said.Trim()}\"): the console needs passwordless sudo (sudo -n) for {user}.";
        return null;
    }

    /// <summary>A sentence to append when the host denied access: without sudo the way out is sudo; with sudo, root itself was refused.</summary>
    public static string PermissionHint(IReadOnlyList<string> stderr, string user, bool sudo)
    {
        if (!stderr.Any(l => l.Contains("Permission denied", StringComparison.Ordinal) || l.Contains("Operation not permitted", StringComparison.Ordinal)))
            return "";
        return sudo
            ? " Permission denied even as root (a read-only filesystem, SELinux or an immutable file)."
            : $" Permission denied for {user}: root-owned files and directories need sudo.";
    }
}
