using RecoveryConsole.Transports.Ssh.Tests.Fixtures;

namespace RecoveryConsole.Transports.Ssh.Tests.Connection;

/// <summary>
/// A master that answered <c>ssh -O check</c> moments ago and whose process lives is not checked again before each command
/// (a process per command; 50 hosts released together spawned twice the processes). One that died is still found.
/// </summary>
[Collection(SshCollection.Name)]
[Trait("Category", "Ssh")]
public sealed class MasterCheckTests(SshFixture fixture)
{
    [Fact]
    public async Task Commands_right_after_a_check_of_a_live_master_spawn_no_further_check()
    {
        var folder = Directory.CreateTempSubdirectory("rc-ssh-wrap-").FullName;
        try
        {
            var log = Path.Combine(folder, "ssh.log");
            var wrapper = Path.Combine(folder, "ssh");
            await File.WriteAllTextAsync(wrapper, $"#!/bin/sh\nprintf '%s\\n' \"$*\" >> '{log}'\nexec ssh \"$@\"\n");
            File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            await using var transport = new SshHostTransport(fixture.Profile(), new SshSettings { SshPath = wrapper }, fixture.Keys);

            for (var i = 0; i < 4; i++)
                Assert.Equal(0, await transport.RunAsync(fixture.Host, "true", new CollectingSink(), CancellationToken.None));

            // The first command opens the master, the second checks it (and learns its process), the others trust it.
            var checks = (await File.ReadAllLinesAsync(log)).Count(l => l.Contains("-O check", StringComparison.Ordinal));
            Assert.Equal(1, checks);
        }
        finally { Directory.Delete(folder, true); }
    }
}
