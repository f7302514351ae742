namespace RecoveryConsole.Lab.Tests.Shell;

[Trait("Category", "Lab")]
public sealed class FileCommandTests
{
    private readonly ShellHarness _shell = new();

    [Fact]
    public async Task Mv_moves_files_and_directories_into_a_directory_and_says_so_with_v()
    {
        _shell.Host.FileSystem.WriteFile("/home/core/a.yaml", "a");
        _shell.Host.FileSystem.WriteFile("/home/core/data/member/db", "x");

        var (code, sink) = await _shell.RunAsync("mv -v a.yaml /tmp && mv -v /home/core/data/ /tmp");
        Assert.Equal(0, code);
        Assert.Equal(["renamed 'a.yaml' -> '/tmp/a.yaml'", "renamed '/home/core/data/' -> '/tmp/data'"], sink.Stdout);
        Assert.True(_shell.Host.FileSystem.FileExists("/tmp/data/member/db"));
        Assert.False(_shell.Host.FileSystem.DirectoryExists("/home/core/data"));

        (code, sink) = await _shell.RunAsync("mv /home/core/missing /tmp");
        Assert.Equal((1, "mv: cannot stat '/home/core/missing': No such file or directory"), (code, sink.Stderr.Single()));
    }

    [Fact]
    public async Task Changing_system_paths_needs_sudo()
    {
        _shell.Host.FileSystem.WriteFile("/etc/kubernetes/manifests/etcd-pod.yaml", "pod");
        var (code, sink) = await _shell.RunAsync("rm /etc/kubernetes/manifests/etcd-pod.yaml");
        Assert.Equal((1, "rm: cannot remove '/etc/kubernetes/manifests/etcd-pod.yaml': Permission denied"), (code, sink.Stderr.Single()));
        (code, _) = await _shell.RunAsync("sudo rm /etc/kubernetes/manifests/etcd-pod.yaml");
        Assert.Equal(0, code);
        Assert.False(_shell.Host.FileSystem.FileExists("/etc/kubernetes/manifests/etcd-pod.yaml"));
    }

    [Fact]
    public async Task Rm_expands_globs_and_f_ignores_what_does_not_exist()
    {
        var files = _shell.Host.FileSystem;
        files.WriteFile("/var/lib/ovn-ic/etc/ovnnb_db.db", "nb");
        files.WriteFile("/var/lib/ovn-ic/etc/ovnsb_db.db", "sb");
        files.WriteFile("/var/lib/ovn-ic/etc/keep.txt", "k");

        var (code, sink) = await _shell.RunAsync("sudo rm -fv /var/lib/ovn-ic/etc/*.db");
        Assert.Equal(0, code);
        Assert.Equal(["removed '/var/lib/ovn-ic/etc/ovnnb_db.db'", "removed '/var/lib/ovn-ic/etc/ovnsb_db.db'"], sink.Stdout);
        Assert.Equal(["keep.txt"], files.List("/var/lib/ovn-ic/etc"));
        Assert.Equal(0, (await _shell.RunAsync("sudo rm -f /var/lib/ovn-ic/etc/*.db")).Code);
        (code, sink) = await _shell.RunAsync("sudo rm /var/lib/ovn-ic/etc/*.db");
        Assert.Equal((1, "rm: cannot remove '/var/lib/ovn-ic/etc/*.db': No such file or directory"), (code, sink.Stderr.Single()));
        (code, sink) = await _shell.RunAsync("sudo rm /var/lib/ovn-ic");
        Assert.Equal((1, "rm: cannot remove '/var/lib/ovn-ic': Is a directory"), (code, sink.Stderr.Single()));
    }

    [Fact]
    public async Task Cp_and_mkdir()
    {
        var (code, sink) = await _shell.RunAsync("mkdir -v /home/core/x && mkdir /home/core/x");
        Assert.Equal(1, code);
        Assert.Equal(["mkdir: created directory '/home/core/x'"], sink.Stdout);
        Assert.Equal(["mkdir: cannot create directory '/home/core/x': File exists"], sink.Stderr);
        Assert.Equal(0, (await _shell.RunAsync("mkdir -p /home/core/x/y/z")).Code);

        _shell.Host.FileSystem.WriteFile("/home/core/x/y/z/f", "content");
        (code, sink) = await _shell.RunAsync("cp /home/core/x /tmp");
        Assert.Equal((1, "cp: -r not specified; omitting directory '/home/core/x'"), (code, sink.Stderr.Single()));
        Assert.Equal(0, (await _shell.RunAsync("cp -r /home/core/x /tmp")).Code);
        Assert.True(_shell.Host.FileSystem.TryReadFile("/tmp/x/y/z/f", out var copied));
        Assert.Equal("content", copied);
    }
}
