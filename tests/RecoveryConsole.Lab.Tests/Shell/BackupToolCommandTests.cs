namespace RecoveryConsole.Lab.Tests.Shell;

/// <summary>The tools the 3.11 backups use: brace lists in cp, find -printf, cut -d -f, grep -o -m.</summary>
[Trait("Category", "Lab")]
public sealed class BackupToolCommandTests
{
    private readonly ShellHarness _shell = new();

    [Fact]
    public async Task Cp_expands_a_brace_list_before_its_globs()
    {
        var files = _shell.Host.FileSystem;
        foreach (var f in new[] { "iptables", "docker", "docker-network", "flanneld", "atomic-openshift-node" }) files.WriteFile($"/etc/sysconfig/{f}", f);
        files.CreateDirectory("/tmp/b");

        var (code, sink) = await _shell.RunAsync("cp -aR /etc/sysconfig/{iptables,docker-*,flanneld} /tmp/b/");

        Assert.True(code == 0, string.Join('\n', sink.Stderr));
        Assert.Equal(["/tmp/b/docker-network", "/tmp/b/flanneld", "/tmp/b/iptables"], files.FilesUnder("/tmp/b"));
        (code, sink) = await _shell.RunAsync("cp /etc/sysconfig/{iptables,missing} /tmp/b/");
        Assert.Equal((1, "cp: cannot stat '/etc/sysconfig/missing': No such file or directory"), (code, sink.Stderr.Single()));
    }

    [Fact]
    public async Task Find_prints_files_below_the_starting_point_with_printf()
    {
        var files = _shell.Host.FileSystem;
        files.WriteFile("/tmp/b/etc/origin/master/master-config.yaml", "x");
        files.WriteFile("/tmp/b/packages.txt", "y");

        var (code, sink) = await _shell.RunAsync("find /tmp/b -mindepth 1 -type f -printf '%P\\n'");
        Assert.Equal(0, code);
        Assert.Equal(["etc/origin/master/master-config.yaml", "packages.txt"], sink.Stdout);

        (_, sink) = await _shell.RunAsync("find /tmp/b -maxdepth 1");
        Assert.Equal(["/tmp/b", "/tmp/b/etc", "/tmp/b/packages.txt"], sink.Stdout);
        (code, sink) = await _shell.RunAsync("find /tmp/none -type f");
        Assert.Equal((1, "find: ‘/tmp/none’: No such file or directory"), (code, sink.Stderr.Single()));
    }

    [Fact]
    public async Task Cut_selects_fields_and_passes_lines_without_the_delimiter()
    {
        var (code, sink) = await _shell.RunAsync("printf '        - https://192.0.2.111:2379\\nplain\\n' | cut -d '/' -f3");
        Assert.Equal(0, code);
        Assert.Equal(["192.0.2.111:2379", "plain"], sink.Stdout);
        (_, sink) = await _shell.RunAsync("echo a:b:c:d | cut -d: -f2-3");
        Assert.Equal(["b:c"], sink.Stdout);
    }

    [Fact]
    public async Task Grep_o_prints_the_match_and_m_stops_after_that_many_lines()
    {
        var (code, sink) = await _shell.RunAsync(
            "printf 'NAME   READY\\nmaster-api-master-0   1/1\\nmaster-etcd-master-0.example.com   1/1\\nmaster-etcd-master-1.example.com   1/1\\n' | grep -o -m 1 '^master-etcd\\S*'");
        Assert.Equal(0, code);
        Assert.Equal(["master-etcd-master-0.example.com"], sink.Stdout);
        (_, sink) = await _shell.RunAsync("printf 'a1b2\\nc\\n' | grep -o '[0-9]'");
        Assert.Equal(["1", "2"], sink.Stdout);
    }
}
