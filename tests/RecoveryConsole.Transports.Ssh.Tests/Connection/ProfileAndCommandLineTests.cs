using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Transports.Ssh.Connection;

namespace RecoveryConsole.Transports.Ssh.Tests.Connection;

public sealed class ProfileAndCommandLineTests
{
    [Theory]
    [InlineData("bastion.example", "core", "bastion.example", 22)]
    [InlineData("admin@bastion.example:2222", "admin", "bastion.example", 2222)]
    [InlineData("ops@[fd00::1]:22", "ops", "fd00::1", 22)]
    [InlineData("10.0.0.1:2022", "core", "10.0.0.1", 2022)]
    public void Jump_hosts_are_read_as_ProxyJump_writes_them(string text, string user, string address, int port)
    {
        Assert.Equal(new JumpHost(user, address, port), JumpHost.Parse(text, "core"));
    }

    [Theory]
    [InlineData("-oProxyCommand=x")]
    [InlineData("user@host:99999")]
    [InlineData("user@host;id")]
    [InlineData("a b")]
    public void Anything_else_is_not_a_jump_host(string text)
    {
        Assert.ThrowsAny<FormatException>(() => JumpHost.Parse(text, "core"));
    }

    [Fact]
    public void The_profile_refuses_unsafe_values()
    {
        var ok = new SshClusterProfile { KnownHostsFile = "/var/lib/rc/known_hosts" };
        ok.Validate();
        Assert.Throws<ArgumentException>(() => (ok with { User = "-oProxyCommand=x" }).Validate());
        Assert.Throws<ArgumentException>(() => (ok with { KnownHostsFile = "relative" }).Validate());
        Assert.Throws<ArgumentException>(() => (ok with { Port = 0 }).Validate());
        Assert.Throws<ArgumentException>(() => (ok with { KeyId = "../x" }).Validate());
    }

    [Theory]
    [InlineData("10.0.0.5", "10.0.0.5")]
    [InlineData("[fd00::5]", "fd00::5")]
    [InlineData("master-0.cluster.example", "master-0.cluster.example")]
    public void Addresses_are_normalised(string address, string expected)
    {
        Assert.Equal(expected, HostEndpoint.For(new HostInfo("m", address, []), new SshClusterProfile { KnownHostsFile = "/k" }).Address);
    }

    [Theory]
    [InlineData("-oProxyCommand=id")]
    [InlineData("host name")]
    [InlineData("host;id")]
    [InlineData("")]
    public void Addresses_that_could_be_options_or_words_are_refused(string address)
    {
        Assert.Throws<ArgumentException>(() => HostEndpoint.For(new HostInfo("m", address, []), new SshClusterProfile { KnownHostsFile = "/k" }));
    }

    [Fact]
    public void Commands_pin_the_safety_options_and_end_with_the_destination()
    {
        var line = new SshCommandLine(new SshSettings(), new SshClusterProfile { KnownHostsFile = "/var/lib/rc/kh", User = "core" }, "/tmp/rc-ssh-abc123");
        var endpoint = new HostEndpoint("m", "10.0.0.5", 22, "core");

        var args = line.Command(endpoint, "echo hi", withStdin: false);

        foreach (var option in new[] { "BatchMode=yes", "StrictHostKeyChecking=yes", "UserKnownHostsFile=/var/lib/rc/kh", "GlobalKnownHostsFile=/dev/null",
                     "UpdateHostKeys=no", "ForwardAgent=no", "ForwardX11=no", "ControlMaster=no" })
            Assert.Contains(option, args);
        Assert.Equal(["--", "10.0.0.5", "echo hi"], args.TakeLast(3));
        Assert.Contains("ControlPath=" + line.ControlPathFor(endpoint), args);
    }

    [Fact]
    public void The_jump_hop_carries_the_same_strict_options_quoted_for_the_shell()
    {
        var profile = new SshClusterProfile { KnownHostsFile = "/var/lib/rc/kh", JumpHost = JumpHost.Parse("ops@bastion:2222", "core") };
        var line = new SshCommandLine(new SshSettings(), profile, "/tmp/rc-ssh-abc123") { IdentityFile = "/tmp/rc-ssh-abc123/id-cluster" };

        var proxy = line.Command(new HostEndpoint("m", "10.0.0.5", 22, "core"), "true", false).Single(a => a.StartsWith("ProxyCommand=", StringComparison.Ordinal));

        Assert.StartsWith("ProxyCommand=ssh -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile=/var/lib/rc/kh", proxy, StringComparison.Ordinal);
        Assert.Contains("-o IdentityFile=/tmp/rc-ssh-abc123/id-cluster", proxy, StringComparison.Ordinal);
        Assert.EndsWith("-W '[%h]:%p' -p 2222 -l ops -- bastion", proxy, StringComparison.Ordinal);
    }

    [Fact]
    public void A_runtime_directory_too_long_for_sockets_is_refused_up_front()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            new SshCommandLine(new SshSettings(), new SshClusterProfile { KnownHostsFile = "/k" }, "/" + new string('d', 80)));
        Assert.Contains("108-byte socket path limit", e.Message, StringComparison.Ordinal);
    }
}
