using RecoveryConsole.Transports.Ssh.Checks;
using RecoveryConsole.Transports.Ssh.Tests.Fixtures;

namespace RecoveryConsole.Transports.Ssh.Tests.Checks;

[Collection(SshCollection.Name)]
[Trait("Category", "Ssh")]
public sealed class ConnectionCheckTests(SshFixture fixture)
{
    [Fact]
    public async Task A_healthy_host_passes_every_check()
    {
        await using var transport = fixture.Transport();

        var report = await new ConnectionCheck(transport).CheckAsync(fixture.Host, CancellationToken.None);

        Assert.True(report.AllPassed, string.Join(" | ", report.Reachable, report.HostKey, report.Login, report.Sudo));
        Assert.Equal(HostKeyState.Known, report.HostKeyState);
        Assert.Contains(fixture.Server.HostKeyFingerprint, report.HostKey.Sentence, StringComparison.Ordinal);
        Assert.Equal("sudo works without a password (sudo -n true succeeded).", report.Sudo.Sentence);
    }

    [Fact]
    public async Task Sudo_that_wants_a_password_fails_its_check_only()
    {
        await using var transport = fixture.Transport();
        fixture.Server.SudoRequiresPassword = true;
        try
        {
            var report = await new ConnectionCheck(transport).CheckAsync(fixture.Host, CancellationToken.None);

            Assert.Equal(CheckState.Passed, report.Login.State);
            Assert.Equal(CheckState.Failed, report.Sudo.State);
            Assert.Contains("sudo: a password is required", report.Sudo.Sentence, StringComparison.Ordinal);
        }
        finally { fixture.Server.SudoRequiresPassword = false; }
    }

    [Fact]
    public async Task An_unknown_host_key_is_reported_with_its_fingerprint_and_no_login_is_tried()
    {
        await using var transport = fixture.Transport(fixture.Profile(HostKeyTrust.Nothing));

        var report = await new ConnectionCheck(transport).CheckAsync(fixture.Host, CancellationToken.None);

        Assert.Equal(CheckState.Passed, report.Reachable.State);
        Assert.Equal(HostKeyState.Unknown, report.HostKeyState);
        Assert.Contains(fixture.Server.HostKeyFingerprint, report.HostKey.Sentence, StringComparison.Ordinal);
        Assert.Equal(CheckState.NotChecked, report.Login.State);
        Assert.Equal(fixture.Server.HostKeyFingerprint, Assert.Single(report.OfferedKeys).Fingerprint);
    }

    [Fact]
    public async Task A_changed_host_key_is_reported_as_changed()
    {
        await using var transport = fixture.Transport(fixture.Profile(HostKeyTrust.OtherKey));

        var report = await new ConnectionCheck(transport).CheckAsync(fixture.Host, CancellationToken.None);

        Assert.Equal(HostKeyState.Changed, report.HostKeyState);
        Assert.StartsWith("REMOTE HOST IDENTIFICATION HAS CHANGED", report.HostKey.Sentence, StringComparison.Ordinal);
        Assert.Equal(CheckState.NotChecked, report.Sudo.State);
    }

    [Fact]
    public async Task An_unreachable_host_fails_reachability_and_checks_nothing_else()
    {
        await using var transport = fixture.Transport(fixture.Profile() with { Port = SshdServer.FreePort() });

        var reports = await new ConnectionCheck(transport).CheckAllAsync([fixture.Host], CancellationToken.None);

        var report = Assert.Single(reports);
        Assert.Equal(CheckState.Failed, report.Reachable.State);
        Assert.Contains("refused the connection", report.Reachable.Sentence, StringComparison.Ordinal);
        Assert.Equal(CheckState.NotChecked, report.Login.State);
        Assert.False(report.AllPassed);
    }
}
