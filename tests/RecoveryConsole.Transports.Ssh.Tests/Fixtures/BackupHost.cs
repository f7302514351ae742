namespace RecoveryConsole.Transports.Ssh.Tests.Fixtures;

/// <summary>
/// A control-plane host's backup layout under a directory of the test's own (never system paths): the stand-in
/// cluster-backup.sh at &lt;root&gt;/usr/local/bin, etcdctl (the real one) and etcd.env under
/// &lt;root&gt;/etc/kubernetes/static-pod-resources, and the static pod resources of the running revisions, an older
/// kube-apiserver revision included. Removed on dispose.
/// </summary>
public sealed class BackupHost : IDisposable
{
    public const string OpenShiftVersion = "4.16.12";
    public const string EtcdctlPath = "/usr/bin/etcdctl";

    private BackupHost(string root) => Root = root;

    public string Root { get; }
    public string Resources => Path.Combine(Root, "etc/kubernetes/static-pod-resources");
    public string Script => Path.Combine(Root, "usr/local/bin/cluster-backup.sh");
    public string Etcdctl => Path.Combine(Resources, "bin/etcdctl");
    public string BackupDir => Path.Combine(Root, "home/core/assets/backup");

    /// <summary>Lays the host out; etcd.env points etcdctl at <paramref name="memberEndpoint"/> (one member: snapshot save takes one).</summary>
    public static BackupHost Create(string memberEndpoint)
    {
        if (!File.Exists(EtcdctlPath))
            throw new InvalidOperationException($"{EtcdctlPath} is missing. Run the README's test command (bash tests/run.sh --filter Category=Etcd), which installs etcd-client.");
        var host = new BackupHost(Directory.CreateTempSubdirectory("rc-backup-host-").FullName);
        Directory.CreateDirectory(Path.GetDirectoryName(host.Script)!);
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Etcd", "cluster-backup.sh"), host.Script);
        File.SetUnixFileMode(host.Script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Directory.CreateDirectory(Path.GetDirectoryName(host.Etcdctl)!);
        File.CreateSymbolicLink(host.Etcdctl, EtcdctlPath);
        host.Write("etcd-certs/configmaps/etcd-scripts/etcd.env", $"export ETCDCTL_API=3\nexport ETCDCTL_ENDPOINTS={memberEndpoint}\n");

        // An older kube-apiserver revision first: cluster-backup.sh takes the newest (ls -t), never this one.
        host.Revision("kube-apiserver-pod", 6, "4.16.10");
        Directory.SetLastWriteTimeUtc(Path.Combine(host.Resources, "kube-apiserver-pod-6"), DateTime.UtcNow.AddHours(-1));
        host.Revision("kube-apiserver-pod", 7, OpenShiftVersion);
        host.Revision("kube-controller-manager-pod", 5, OpenShiftVersion);
        host.Revision("kube-scheduler-pod", 4, OpenShiftVersion);
        host.Revision("etcd-pod", 3, OpenShiftVersion);
        return host;
    }

    private void Revision(string resource, int revision, string version)
    {
        var dir = $"{resource}-{revision}";
        Write($"{dir}/{resource}.yaml", $"apiVersion: v1\nkind: Pod\nmetadata:\n  name: {resource[..^4]}\n  namespace: openshift-{resource[..^4]}\n  labels: {{ revision: \"{revision}\" }}\n");
        Write($"{dir}/configmaps/{resource}/version", version);
        Write($"{dir}/secrets/serving-cert/tls.key", "not a real key\n");
    }

    private void Write(string relative, string content)
    {
        var path = Path.Combine(Resources, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}
