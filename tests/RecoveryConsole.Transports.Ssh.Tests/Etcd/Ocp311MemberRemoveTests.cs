using System.Text.RegularExpressions;
using RecoveryConsole.Procedures.Loading;
using RecoveryConsole.Procedures.Model;
using RecoveryConsole.Procedures.Rendering;
using RecoveryConsole.Transports.Ssh.Etcd;
using RecoveryConsole.Transports.Ssh.Tests.Fixtures;

namespace RecoveryConsole.Transports.Ssh.Tests.Etcd;

/// <summary>
/// procedures/ocp311-remove-etcd-host.yaml's etcdctl2 commands, rendered from the procedure file and sent over SSH to a
/// real etcd 3.4 cluster of the test's own (three members, v2 API enabled, as 3.11's etcd serves it): its captures
/// parse the real cluster-health and member list, and the removal goes by the member's ID. On this test host `sudo -i`
/// is a stand-in that runs the command in a shell where etcdctl2 is defined as the 3.11 installer's
/// /etc/profile.d/etcdctl.sh defines it (with ETCDCTL_API=2: etcdctl 3.4 speaks v3 unless told, 3.2 spoke v2).
/// </summary>
[Collection(EtcdCollection.Name)]
[Trait("Category", "Etcd")]
public sealed class Ocp311MemberRemoveTests(EtcdFixture fixture)
{
    private static readonly Procedure Procedure = ShippedProcedure.Load("ocp311-remove-etcd-host");

    [Fact]
    public async Task The_failed_member_found_in_the_real_cluster_health_is_removed_by_its_id_and_a_second_removal_fails_in_etcds_words()
    {
        using var cluster = await EtcdCluster.StartAsync(3, "rc-311-" + Guid.NewGuid().ToString("N")[..6], ["--enable-v2=true"]);
        using var host = Etcdctl2Host.Create(cluster.Members[0].ClientUrl);
        var failed = cluster.Members[2];
        var failedId = EtcdctlOutput.ParseMemberList(await fixture.EtcdctlAsync(cluster.Endpoints, "member", "list", "-w", "json"))
            .Members.Single(m => m.Name == failed.Name).HexId;
        failed.Process.Kill(entireProcessTree: true);
        await failed.Process.WaitForExitAsync();
        // If the killed member led, the other two elect a new leader first; until then cluster-health may call one of them
        // unhealthy too (seen once under load). An operator runs it on a cluster that has settled.
        await EtcdCluster.WaitHealthyAsync(cluster.Members.Where(m => m != failed));

        // The procedure's cluster-health and its captures, on etcd's own output.
        var health = await RunAsync(host, Command("find-failed-member/cluster-health", []));
        // etcd 3.4 says "cluster is degraded" (exit non-zero) where the document's etcd 3.2 said "cluster is healthy": the
        // procedure's expectation takes both as quorum kept.
        Assert.Contains("cluster is degraded", health.Stdout);
        Assert.Matches(new Regex(Step("find-failed-member/cluster-health").Expect.OutputMatches!, RegexOptions.Multiline), health.Stdout);
        Assert.Equal([failedId], Captured(health.Stdout, "find-failed-member/cluster-health", "unreachableIds"));
        Assert.Equal(2, Captured(health.Stdout, "find-failed-member/cluster-health", "healthyIds").Count);
        var list = await RunAsync(host, Command("find-failed-member/member-list", []));
        Assert.Equal(0, list.Exit);
        var members = Step("find-failed-member/member-list").Captures.Single(c => c.Name == "members");
        var parsed = Regex.Matches(list.Stdout, members.Expression!, RegexOptions.Multiline).ToList();
        Assert.Equal(3, parsed.Count);
        Assert.Equal(failed.Name, parsed.Single(m => m.Groups["id"].Value == failedId).Groups["name"].Value);
        Assert.Equal("127.0.0.1", parsed.Single(m => m.Groups["id"].Value == failedId).Groups["address"].Value);

        // The removal as the procedure renders it: by ID.
        var remove = Command("remove-member/remove", new() { ["member.id"] = failedId });
        Assert.Contains($"etcdctl2 member remove {failedId}", remove);
        var removed = await ReconfigureAsync(host, remove);
        Assert.True(removed.Exit == 0, removed.Stderr);
        Assert.Matches(new Regex(@"^Removed member [0-9a-f]+ from cluster$", RegexOptions.Multiline), removed.Stdout);
        Assert.Contains($"Removed member {failedId} from cluster", removed.Stdout);

        var after = EtcdctlOutput.ParseMemberList(await fixture.EtcdctlAsync(cluster.Members[0].ClientUrl, "member", "list", "-w", "json"));
        Assert.Equal(["m1", "m2"], after.Members.Select(m => m.Name).Order());
        Assert.DoesNotContain(after.Members, m => m.HexId == failedId);
        var healthAfter = await RunAsync(host, Command("remove-member/healthy-without-it", []));
        Assert.Empty(Captured(healthAfter.Stdout, "find-failed-member/cluster-health", "unreachableIds"));

        // The same ID again: etcd itself refuses, and says why.
        var again = await RunAsync(host, remove);
        Assert.NotEqual(0, again.Exit);
        Assert.Contains($"Couldn't find a member in the cluster with an ID of {failedId}", again.Stderr + again.Stdout);
    }

    private sealed record Result(int Exit, string Stdout, string Stderr);

    private static StepDefinition Step(string path) => Procedure.Step(path);

    private static string Command(string path, Dictionary<string, string> values) => Procedure.Command(path, values);

    private static List<string> Captured(string stdout, string path, string name)
    {
        var capture = Step(path).Captures.Single(c => c.Name == name);
        return Regex.Matches(stdout, capture.Expression!, RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
    }

    private async Task<Result> RunAsync(Etcdctl2Host host, string command)
    {
        var sink = new CollectingSink();
        // The command goes exactly as rendered; only this test host's PATH finds its `sudo` stand-in first.
        var exit = await fixture.Transport.RunAsync(fixture.Host, $"PATH={ShellQuote.Quote(host.Bin)}:$PATH; {command}", sink, TimeSpan.FromMinutes(1), CancellationToken.None);
        return new Result(exit, string.Join('\n', sink.Stdout), string.Join('\n', sink.Stderr));
    }

    /// <summary>etcd 3.4 refuses membership changes until its members have been connected a few seconds: that refusal only is retried.</summary>
    private async Task<Result> ReconfigureAsync(Etcdctl2Host host, string command)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var result = await RunAsync(host, command);
            if (result.Exit == 0 || !result.Stderr.Contains("unhealthy cluster", StringComparison.Ordinal) || DateTime.UtcNow > deadline) return result;
            await Task.Delay(500);
        }
    }

    /// <summary>A `sudo -i` stand-in and the installer's etcdctl2 function, in a directory of the test's own.</summary>
    private sealed class Etcdctl2Host : IDisposable
    {
        private Etcdctl2Host(string root) => Root = root;

        public string Root { get; }
        public string Bin => Path.Combine(Root, "bin");

        public static Etcdctl2Host Create(string endpoint)
        {
            var host = new Etcdctl2Host(Directory.CreateTempSubdirectory("rc-etcdctl2-").FullName);
            Directory.CreateDirectory(host.Bin);
            var profile = Path.Combine(host.Root, "etcdctl.sh");
            // /etc/profile.d/etcdctl.sh of openshift-ansible 3.11, pointed at the test's member (plain HTTP: no peer certificates).
            File.WriteAllText(profile, $"etcdctl2() {{\n ETCDCTL_API=2 /usr/bin/etcdctl -C {endpoint} ${{@}}\n}}\n");
            var sudo = Path.Combine(host.Bin, "sudo");
            File.WriteAllText(sudo,
                "#!/bin/bash\n# sudo -i COMMAND: COMMAND in a login shell that has the profile's etcdctl2 function.\n" +
                "if [ \"$1\" != \"-i\" ]; then echo 'sudo: only -i is simulated here' >&2; exit 1; fi\nshift\n" +
                $"exec /bin/bash -c \". {ShellQuote.Quote(profile)}; $*\"\n");
            File.SetUnixFileMode(sudo, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            return host;
        }

        public void Dispose()
        {
            try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
        }
    }
}
