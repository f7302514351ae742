using System.Security.Cryptography;
using RecoveryConsole.Lab.ApiServer;
using RecoveryConsole.Transports.Kubernetes.Exec;
using RecoveryConsole.Transports.Kubernetes.Tests.Support;

namespace RecoveryConsole.Transports.Kubernetes.Tests.Exec;

[Trait("Category", "Lab")]
public sealed class CopyTests
{
    private const string Ns = LabHarness.Namespace;
    private const string Pod = "backup-0";
    private const string Folder = "/var/lib/etcd-backup";

    private static async Task<(LabHarness Lab, FakeContainer Pod)> StartAsync(string protocol = LabApiServerOptions.ChannelV5)
    {
        var lab = await LabHarness.StartAsync(new LabApiServerOptions { ExecProtocols = [protocol] });
        lab.PutPod(Ns, Pod, "master-0", "backup");
        var fake = new FakeContainer();
        fake.Directories.Add(Folder);
        lab.Api.ExecHandler = fake.RunAsync;
        return (lab, fake);
    }

    private static byte[] RandomBytes(int count) => RandomNumberGenerator.GetBytes(count);

    [Theory]
    [InlineData(LabApiServerOptions.ChannelV5)]
    [InlineData(LabApiServerOptions.ChannelV4)]
    public async Task A_file_is_copied_out_of_a_pod_and_verified(string protocol)
    {
        var (lab, pod) = await StartAsync(protocol);
        await using var _ = lab;
        var snapshot = RandomBytes(300_017);
        pod.Files[$"{Folder}/snapshot.db"] = snapshot;
        var local = Path.Combine(lab.Folder, "snapshot.db");
        var log = new RecordingSink();

        var result = await lab.Client().CopyFromPodAsync(new PodFile(Ns, Pod, $"{Folder}/snapshot.db"), local, log);

        Assert.Equal(snapshot, await File.ReadAllBytesAsync(local));
        Assert.Equal(snapshot.Length, result.Bytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(snapshot)), result.Sha256);
        Assert.Equal(["tar cf - /var/lib/etcd-backup/snapshot.db", "sha256sum /var/lib/etcd-backup/snapshot.db"], pod.Commands);
        Assert.Contains("tar: Removing leading `/' from member names", log.Stderr);
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(local));
    }

    [Theory]
    [InlineData(LabApiServerOptions.ChannelV5, "tar -xmf - -C /var/lib/etcd-backup")]
    [InlineData(LabApiServerOptions.ChannelV4, "sh -c head -c ")]
    public async Task A_file_is_copied_into_a_pod_and_verified(string protocol, string extractCommand)
    {
        var (lab, pod) = await StartAsync(protocol);
        await using var _ = lab;
        var content = RandomBytes(200_001);
        var local = Path.Combine(lab.Folder, "restore.db");
        await File.WriteAllBytesAsync(local, content);

        var result = await lab.Client().CopyToPodAsync(local, new PodFile(Ns, Pod, $"{Folder}/restore.db"));

        Assert.Equal(content, pod.Files[$"{Folder}/restore.db"]);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), result.Sha256);
        Assert.Equal($"test -d {Folder}", pod.Commands.First());
        Assert.StartsWith(extractCommand, pod.Commands.ElementAt(1));
        Assert.Equal($"sha256sum {Folder}/restore.db", pod.Commands.Last());
    }

    [Fact]
    public async Task A_checksum_mismatch_leaves_no_local_file()
    {
        var (lab, pod) = await StartAsync();
        await using var _ = lab;
        pod.Files[$"{Folder}/snapshot.db"] = RandomBytes(50_000);
        pod.CorruptChecksums = true;
        var local = Path.Combine(lab.Folder, "snapshot.db");

        var error = await Assert.ThrowsAsync<PodCopyException>(() => lab.Client().CopyFromPodAsync(new PodFile(Ns, Pod, $"{Folder}/snapshot.db"), local));

        Assert.Contains("does not match", error.Message);
        Assert.Contains("The local file was not written", error.Message);
        Assert.Empty(Directory.GetFiles(lab.Folder));
    }

    [Fact]
    public async Task A_checksum_mismatch_in_the_pod_is_reported_as_a_suspect_file()
    {
        var (lab, pod) = await StartAsync();
        await using var _ = lab;
        pod.CorruptChecksums = true;
        var local = Path.Combine(lab.Folder, "restore.db");
        await File.WriteAllBytesAsync(local, RandomBytes(10_000));

        var error = await Assert.ThrowsAsync<PodCopyException>(() => lab.Client().CopyToPodAsync(local, new PodFile(Ns, Pod, $"{Folder}/restore.db")));

        Assert.Contains($"{Ns}/{Pod}:{Folder}/restore.db does not match the local file", error.Message);
        Assert.Contains("Do not use it", error.Message);
    }

    [Fact]
    public async Task A_directory_is_refused_clearly()
    {
        var (lab, pod) = await StartAsync();
        await using var _ = lab;
        pod.Files[$"{Folder}/a.db"] = RandomBytes(200_000);
        pod.Files[$"{Folder}/b.db"] = RandomBytes(200_000);

        var error = await Assert.ThrowsAsync<PodCopyException>(() => lab.Client().CopyFromPodAsync(new PodFile(Ns, Pod, Folder), Path.Combine(lab.Folder, "x")));

        Assert.Contains("is a directory", error.Message);
        Assert.Empty(Directory.GetFiles(lab.Folder));
    }

    [Fact]
    public async Task A_missing_file_in_the_pod_is_taken_from_tar()
    {
        var (lab, _) = await StartAsync();
        await using var __ = lab;

        var error = await Assert.ThrowsAsync<PodCopyException>(() =>
            lab.Client().CopyFromPodAsync(new PodFile(Ns, Pod, $"{Folder}/absent.db"), Path.Combine(lab.Folder, "absent.db")));

        Assert.Equal($"tar in {Pod} exited with 2 reading {Folder}/absent.db: tar: {Folder}/absent.db: Cannot stat: No such file or directory", error.Message);
    }

    [Fact]
    public async Task A_missing_directory_in_the_pod_stops_before_sending_anything()
    {
        var (lab, pod) = await StartAsync();
        await using var _ = lab;
        var local = Path.Combine(lab.Folder, "restore.db");
        await File.WriteAllBytesAsync(local, RandomBytes(1_000));

        var error = await Assert.ThrowsAsync<PodCopyException>(() => lab.Client().CopyToPodAsync(local, new PodFile(Ns, Pod, "/nowhere/restore.db")));

        Assert.Contains("The directory /nowhere does not exist in backup-0", error.Message);
        Assert.Equal(["test -d /nowhere"], pod.Commands);
    }
}
