using RecoveryConsole.Lab.Shell;

namespace RecoveryConsole.Lab.Tests.Shell;

[Trait("Category", "Lab")]
public sealed class ShellCommandTests
{
    private readonly ShellHarness _shell = new();

    public ShellCommandTests()
    {
        var files = _shell.Host.FileSystem;
        files.WriteFile("/etc/kubernetes/manifests/etcd-pod.yaml", "kind: Pod\nname: etcd\n");
        files.WriteFile("/etc/kubernetes/manifests/kube-apiserver-pod.yaml", "kind: Pod\n");
        files.WriteFile("/home/core/backup/snapshot_2.db", "");
        files.WriteFile("/home/core/backup/snapshot_10.db", "");
        files.WriteFile("/home/core/backup/.hidden", "");
        files.WriteFile("/home/core/lines.txt", "alpha\nbeta\ngamma\ndelta\nepsilon\n");
    }

    [Theory]
    [InlineData("echo -n x; echo y", "xy")]
    [InlineData("echo -e 'a\\tb\\nc'", "a\tb|c")]
    [InlineData("echo -x", "-x")]
    [InlineData("printf '%s=%d\\n' a 1 b 2", "a=1|b=2")]
    [InlineData("printf '%5s|%-3s|%03d\\n' ab c 7", "   ab|c  |007")]
    [InlineData("printf 'no conversions\\n' ignored", "no conversions")]
    [InlineData("printf '100%%\\n'", "100%")]
    [InlineData("seq 3", "1|2|3")]
    [InlineData("seq 2 4", "2|3|4")]
    [InlineData("seq 10 -3 1", "10|7|4|1")]
    [InlineData("seq 5 1", "")]
    [InlineData("hostname; hostname -i", "master-0|192.0.2.10")]
    public async Task Output_commands(string script, string expected)
    {
        var (code, sink) = await _shell.RunAsync(script);
        Assert.Equal(0, code);
        Assert.Equal(expected, string.Join("|", sink.Stdout));
    }

    [Fact]
    public async Task Printf_reports_invalid_numbers()
    {
        var (code, sink) = await _shell.RunAsync("printf '%d\\n' abc");
        Assert.Equal(1, code);
        Assert.Equal(["0"], sink.Stdout);
        Assert.Equal(["printf: abc: invalid number"], sink.Stderr);
    }

    [Fact]
    public async Task Cat_reads_files_relative_to_home_and_reports_missing_ones()
    {
        var (code, sink) = await _shell.RunAsync("cat /etc/kubernetes/manifests/etcd-pod.yaml nope /etc");
        Assert.Equal(1, code);
        Assert.Equal(["kind: Pod", "name: etcd"], sink.Stdout);
        Assert.Equal(["cat: nope: No such file or directory", "cat: /etc: Is a directory"], sink.Stderr);

        (code, sink) = await _shell.RunAsync("cat lines.txt | cat | head -n 1");
        Assert.Equal(0, code);
        Assert.Equal(["alpha"], sink.Stdout);
    }

    [Theory]
    [InlineData("grep eta lines.txt", 0, "beta")]
    [InlineData("grep -v a lines.txt", 0, "epsilon")]
    [InlineData("grep -v 'a\\|e' lines.txt", 1, "")]
    [InlineData("grep -c a lines.txt", 0, "4")]
    [InlineData("grep -n ta lines.txt", 0, "2:beta|4:delta")]
    [InlineData("grep -i ALPHA lines.txt", 0, "alpha")]
    [InlineData("grep 'a\\|e' lines.txt", 0, "alpha|beta|gamma|delta|epsilon")]
    [InlineData("grep 'a|e' lines.txt", 1, "")]
    [InlineData("grep -E '^(beta|gamma)$' lines.txt", 0, "beta|gamma")]
    [InlineData("egrep 'l+o?n$' lines.txt", 0, "epsilon")]
    [InlineData("grep -F '.' lines.txt", 1, "")]
    [InlineData("grep -e alpha -e delta lines.txt", 0, "alpha|delta")]
    [InlineData("grep -q gamma lines.txt", 0, "")]
    [InlineData("grep -q zeta lines.txt", 1, "")]
    [InlineData("grep '[[:digit:]]' lines.txt", 1, "")]
    public async Task Grep(string script, int expectedCode, string expected)
    {
        var (code, sink) = await _shell.RunAsync(script);
        Assert.Equal(expectedCode, code);
        Assert.Equal(expected, string.Join("|", sink.Stdout));
    }

    [Fact]
    public async Task Grep_errors_exit_2()
    {
        var (code, sink) = await _shell.RunAsync("grep x /missing");
        Assert.Equal(2, code);
        Assert.Equal(["grep: /missing: No such file or directory"], sink.Stderr);

        (code, sink) = await _shell.RunAsync("grep -E '(' lines.txt");
        Assert.Equal(2, code);
        Assert.Equal(["grep: Invalid regular expression"], sink.Stderr);
    }

    [Theory]
    [InlineData("head -n 2 lines.txt", "alpha|beta")]
    [InlineData("head -2 lines.txt", "alpha|beta")]
    [InlineData("tail -n 2 lines.txt", "delta|epsilon")]
    [InlineData("tail -1 lines.txt", "epsilon")]
    [InlineData("tail -n +4 lines.txt", "delta|epsilon")]
    [InlineData("cat lines.txt | tail -n 1", "epsilon")]
    [InlineData("wc -l lines.txt", "5 lines.txt")]
    [InlineData("cat lines.txt | wc -l", "5")]
    [InlineData("ls /etc/kubernetes/manifests", "etcd-pod.yaml|kube-apiserver-pod.yaml")]
    [InlineData("ls -1 backup", "snapshot_10.db|snapshot_2.db")]
    [InlineData("ls -v backup | tail -1", "snapshot_10.db")]
    [InlineData("ls -a backup", ".hidden|snapshot_10.db|snapshot_2.db")]
    [InlineData("ls /etc/hostname lines.txt", "/etc/hostname|lines.txt")]
    public async Task Text_and_file_commands(string script, string expected)
    {
        _shell.Host.FileSystem.WriteFile("/etc/hostname", "master-0\n");
        var (code, sink) = await _shell.RunAsync(script);
        Assert.Equal(0, code);
        Assert.Equal(expected, string.Join("|", sink.Stdout));
    }

    [Fact]
    public async Task Ls_of_a_missing_path_exits_2()
    {
        var (code, sink) = await _shell.RunAsync("ls /var/lib/etcd-backup");
        Assert.Equal(2, code);
        Assert.Equal(["ls: cannot access '/var/lib/etcd-backup': No such file or directory"], sink.Stderr);
    }

    [Theory]
    [InlineData("test -f lines.txt", 0)]
    [InlineData("[ -f /home/core/lines.txt ]", 0)]
    [InlineData("[ -f backup ]", 1)]
    [InlineData("[ -d backup ]", 0)]
    [InlineData("[ ! -e /nope ]", 0)]
    [InlineData("[ -s backup/snapshot_2.db ]", 1)]
    [InlineData("[ -n '' ]", 1)]
    [InlineData("[ -z '' ]", 0)]
    [InlineData("[ abc = abc ]", 0)]
    [InlineData("[ abc != abc ]", 1)]
    [InlineData("[ 3 -gt 2 ]", 0)]
    [InlineData("[ 3 -le 2 ]", 1)]
    [InlineData("[ x -eq 2 ]", 2)]
    [InlineData("[ -f lines.txt", 2)]
    public async Task Test_and_bracket(string script, int expectedCode)
    {
        Assert.Equal(expectedCode, (await _shell.RunAsync(script)).Code);
    }

    [Fact]
    public async Task Registered_commands_get_arguments_stdin_environment_and_host()
    {
        _shell.Commands.Register("crictl", async context =>
        {
            var lines = new List<string>();
            await foreach (var line in context.Stdin.ReadLinesAsync(context.CancellationToken)) lines.Add(line);
            await context.OutAsync($"{context.Host.Name} {string.Join(',', context.Args)} {context.Environment.GetValueOrDefault("CONTAINER_RUNTIME_ENDPOINT")} stdin={string.Join(',', lines)}");
            return 3;
        });

        var (code, sink) = await _shell.RunAsync("printf 'a\\nb\\n' | sudo CONTAINER_RUNTIME_ENDPOINT=unix:///run/crio.sock /usr/bin/crictl ps -q");
        Assert.Equal(3, code);
        Assert.Equal(["master-0 ps,-q unix:///run/crio.sock stdin=a,b"], sink.Stdout);
    }

    [Fact]
    public void Registry_resolves_paths_by_their_last_segment_and_lists_the_builtins()
    {
        var registry = LabCommandRegistry.CreateDefault();
        Assert.True(registry.TryResolve("/usr/bin/grep", out var grep));
        Assert.Equal("grep", grep.Name);
        Assert.False(registry.TryResolve("/usr/bin/", out _));
        Assert.Superset(new HashSet<string> { "echo", "printf", "seq", "sleep", "exit", "true", "false", "cat", "hostname", "grep", "egrep", "wc", "head", "tail", "ls", "test", "[" },
            registry.Names.ToHashSet());
    }
}
