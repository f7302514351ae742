using Microsoft.AspNetCore.DataProtection;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Transports.Ssh.Keys;
using RecoveryConsole.Transports.Ssh.Tests.Fixtures;

namespace RecoveryConsole.Transports.Ssh.Tests.Connection;

/// <summary>
/// Many hosts at once behind one sshd (a jump host sees every host's login): sshd drops unauthenticated connections beyond
/// its MaxStartups, so the transport lets only <see cref="SshSettings.MaxConcurrentLogins"/> masters log in at a time
/// and every host is reached.
/// </summary>
[Trait("Category", "Ssh")]
[Trait("Category", "Security")]
public sealed class ConcurrentLoginsTests
{
    [Fact]
    public async Task Twelve_hosts_connecting_at_once_all_log_in_when_sshd_keeps_only_four_logins_in_progress()
    {
        var addresses = Enumerable.Range(2, 12).Select(i => $"127.0.0.{i}").ToList();
        using var server = SshdServer.Start(maxStartups: "4", moreAddresses: addresses);
        var settings = new SshSettings { MaxConcurrentLogins = 2 };
        var keys = new DataProtectedSshKeyStore(new EphemeralDataProtectionProvider(), Path.Combine(server.Directory, "keys"), settings);
        await keys.ImportAsync("k", await File.ReadAllTextAsync(server.ClientKeyPath), null, CancellationToken.None);
        var knownHosts = Path.Combine(server.Directory, "known_hosts-many");
        await File.WriteAllLinesAsync(knownHosts, addresses.Select(a => $"[{a}]:{server.Port} {server.HostKey}"));
        await using var transport = new SshHostTransport(new SshClusterProfile
        {
            User = SshdServer.User, Port = server.Port, KeyId = "k", KnownHostsFile = knownHosts, ConnectTimeout = TimeSpan.FromSeconds(10),
        }, settings, keys);
        var hosts = addresses.Select((a, i) => new HostInfo($"host-{i}", a, [HostRoles.Worker])).ToList();

        var results = await Task.WhenAll(hosts.Select(async h =>
        {
            try
            {
                await transport.ConnectAsync(h, CancellationToken.None);
                return null;
            }
            catch (HostUnreachableException e) { return $"{h.Name}: {e.Reason}"; }
        }));

        Assert.True(results.All(r => r is null), "not reached: " + string.Join("; ", results.OfType<string>()));
        foreach (var host in hosts)
            Assert.NotNull(await transport.MasterPidAsync(host, CancellationToken.None));
    }
}
