using RecoveryConsole.Transports.Ssh.Files;

namespace RecoveryConsole.Transports.Ssh.Tests.Files;

/// <summary>What real hosts' sudo and coreutils print, turned into sentences an operator can act on.</summary>
public sealed class RemoteFailuresTests
{
    [Theory]
    [InlineData("sudo: a password is required", "sudo on master-0 asks for a password: the console needs passwordless sudo (sudo -n) for core.")]
    [InlineData("sudo: a terminal is required to read the password; either use the -S option to read from standard input or configure an askpass helper",
        "sudo on master-0 asks for a password: the console needs passwordless sudo (sudo -n) for core.")]
    [InlineData("sudo: sorry, you must have a tty to run sudo",
        "sudo on master-0 insists on a terminal (requiretty): the console needs passwordless sudo without requiretty for core.")]
    [InlineData("core is not in the sudoers file.  This incident will be reported.",
        "sudo on master-0 refuses core (\"core is not in the sudoers file.  This incident will be reported.\"): the console needs passwordless sudo (sudo -n) for core.")]
    public void Sudo_refusals_name_sudo_and_what_the_console_needs(string said, string expected) =>
        Assert.Equal(expected, RemoteFailures.SudoRefusal("master-0", "core", ["some noise", said]));

    [Theory]
    [InlineData("cat: /home/core/x: No such file or directory")]
    [InlineData("sh: 1: cannot create /etc/x: Permission denied")]
    public void Other_failures_are_not_taken_for_sudo(string said) =>
        Assert.Null(RemoteFailures.SudoRefusal("master-0", "core", [said]));

    [Fact]
    public void Permission_denied_points_to_sudo_only_when_sudo_was_not_used()
    {
        string[] said = ["sh: 1: cannot create /etc/kubernetes/.x.rc-partial-1: Permission denied"];

        Assert.Equal(" Permission denied for core: root-owned files and directories need sudo.", RemoteFailures.PermissionHint(said, "core", sudo: false));
        Assert.StartsWith(" Permission denied even as root", RemoteFailures.PermissionHint(said, "core", sudo: true), StringComparison.Ordinal);
        Assert.Equal("", RemoteFailures.PermissionHint(["cat: x: No such file or directory"], "core", sudo: false));
    }
}
