using RecoveryConsole.Lab.Hosts;

namespace RecoveryConsole.Lab.Tests.Hosts;

[Trait("Category", "Lab")]
public sealed class LabFileSystemTests
{
    [Theory]
    [InlineData("/a//b/./c/", "/", "/a/b/c")]
    [InlineData("x/../y", "/home/core", "/home/core/y")]
    [InlineData("../../..", "/home/core", "/")]
    public void Normalize(string path, string cwd, string expected) =>
        Assert.Equal(expected, LabFileSystem.Normalize(path, cwd));

    [Fact]
    public void Files_imply_their_directories_and_deleting_a_directory_removes_its_content()
    {
        var fs = new LabFileSystem();
        fs.WriteFile("/var/lib/etcd/member/snap/db", "data");
        Assert.True(fs.DirectoryExists("/var/lib/etcd/member"));
        Assert.Equal(["etcd"], fs.List("/var/lib"));
        Assert.Null(fs.List("/var/lib/etcd/member/snap/db"));

        Assert.True(fs.Delete("/var/lib/etcd/member"));
        Assert.False(fs.FileExists("/var/lib/etcd/member/snap/db"));
        Assert.Equal([], fs.List("/var/lib/etcd"));
    }

    [Fact]
    public void A_file_cannot_become_a_directory()
    {
        var fs = new LabFileSystem();
        fs.WriteFile("/etc/hostname", "x");
        Assert.Throws<IOException>(() => fs.WriteFile("/etc/hostname/nested", "y"));
        Assert.False(fs.DirectoryExists("/etc/hostname"));
    }
}
