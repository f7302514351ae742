using System.Diagnostics;
using RecoveryConsole.Transports.Ssh.Connection;

namespace RecoveryConsole.Transports.Ssh.Tests.Connection;

/// <summary>
/// Whose private SSH directory is it: another live console's directory must never look crashed (that deleted its key
/// and sockets, and every host of that console then "refused the login").
/// </summary>
public sealed class PrivateDirectoryOwnerTests
{
    [Fact]
    public void Another_live_process_is_recognised_from_a_different_process_and_a_reused_pid_is_not()
    {
        using var other = Process.Start(new ProcessStartInfo("sleep", "60") { UseShellExecute = false })!;
        try
        {
            // The owner text is written by the owner; here this process writes it for the other one, as a second
            // console reading the first console's directory would see it.
            var owner = PrivateDirectory.OwnerText(other.Id);
            Assert.True(PrivateDirectory.OwnerAlive(owner));
            for (var i = 0; i < 20; i++) Assert.True(PrivateDirectory.OwnerAlive(owner)); // stable, not a millisecond race

            var start = long.Parse(owner.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
            Assert.False(PrivateDirectory.OwnerAlive($"{other.Id} {start + 1}")); // same pid, another process
        }
        finally { other.Kill(); other.WaitForExit(); }
    }

    [Fact]
    public void A_sweep_keeps_a_live_other_process_directory_and_removes_a_dead_ones()
    {
        var parent = Directory.CreateTempSubdirectory("rc-owner-").FullName;
        using var other = Process.Start(new ProcessStartInfo("sleep", "60") { UseShellExecute = false })!;
        try
        {
            var live = Directory.CreateDirectory(Path.Combine(parent, PrivateDirectory.Prefix + "live01")).FullName;
            File.WriteAllText(Path.Combine(live, "owner"), PrivateDirectory.OwnerText(other.Id));
            var dead = Directory.CreateDirectory(Path.Combine(parent, PrivateDirectory.Prefix + "dead01")).FullName;
            File.WriteAllText(Path.Combine(dead, "owner"), $"{other.Id} 1");

            Assert.Equal(1, PrivateDirectory.SweepStale(parent, "ssh"));

            Assert.True(Directory.Exists(live));
            Assert.False(Directory.Exists(dead));
        }
        finally
        {
            other.Kill();
            other.WaitForExit();
            Directory.Delete(parent, true);
        }
    }
}
