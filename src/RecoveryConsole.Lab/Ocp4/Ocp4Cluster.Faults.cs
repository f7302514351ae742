using System.Globalization;
using System.Text.Json.Nodes;
using RecoveryConsole.Lab.Api;
using RecoveryConsole.Lab.Ocp4.Etcd;

namespace RecoveryConsole.Lab.Ocp4;

// What scenarios do to a healthy cluster. Each is something that really happens to clusters; what follows from it
// (quorum lost, nodes NotReady, CSRs) is left to the simulation.
public sealed partial class Ocp4Cluster
{
    /// <summary>The host is gone (powered off, destroyed, cut off): every process on it stops.</summary>
    public void LoseHost(string name) => Change(() =>
    {
        var node = Node(name) ?? throw new ArgumentException($"no host {name}", nameof(name));
        node.Host.Reachable = false;
        node.RebootPending = false; // a host lost while rebooting stays lost
    });

    /// <summary>Writes an object straight into the cluster's keyspace (what someone did through the API).</summary>
    public void WriteObject(string path, JsonObject obj) => Change(() => Api.Put(path, obj));

    /// <summary>Deletes an object; a namespace takes everything in it along, as namespace deletion does.</summary>
    public void DeleteObject(string path) => Change(() =>
    {
        var parsed = ResourcePath.Parse(path) ?? throw new ArgumentException($"'{path}' is not an object path", nameof(path));
        if (parsed is { Group: "", Resource: "namespaces", Namespace: null, Name: { } ns })
        {
            foreach (var key in Api.ExportObjects().Keys.Where(k => k.Contains($"/namespaces/{ns}/", StringComparison.Ordinal)))
                Api.Remove(key);
        }
        Api.Remove(path);
    });

    /// <summary>
    /// kube-controller-manager's CSR signer rotated and the kubelets of <paramref name="nodes"/> renewed their
    /// certificates with it. Restoring a backup from before this leaves those kubelets distrusted.
    /// </summary>
    public void RotateKubeletCertificates(IEnumerable<string> nodes) => Change(() =>
    {
        var bundle = (string?)Api.Get(ClientCaPath)?["data"]?["ca-bundle.crt"];
        var trusted = LabCertificate.ParseAll(bundle).Select(c => c.Subject).ToList();
        var signer = $"CN=kube-csr-signer_@{Now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}";
        trusted.Insert(0, signer);
        SetSigners(trusted, signer, Now);
        foreach (var name in nodes)
        {
            var node = Node(name) ?? throw new ArgumentException($"no host {name}", nameof(nodes));
            var client = IssueKubeletCertificate(node, "client", signer);
            var server = IssueKubeletCertificate(node, "server", signer);
            WriteKubeletCertificate(node, "client", client);
            WriteKubeletCertificate(node, "server", server);
            if (node.KubeletActive)
            {
                node.Kubelet.Client = client;
                node.Kubelet.Serving = server;
                Journal(node, "kubelet", "I0101 certificate_manager.go:356] \"Rotating certificates\"");
            }
        }
    });

    /// <summary>
    /// The cluster was shut down before the first certificate rotation and comes back after <paramref name="offline"/>:
    /// the kubelets' certificates and the API server's serving certificate have expired. Every host boots again.
    /// </summary>
    public void ExpireCertificates(TimeSpan offline) => Change(() =>
    {
        var installed = Now - offline - TimeSpan.FromHours(20);
        var signer = CurrentSigner();
        foreach (var node in _nodes)
        {
            foreach (var kind in new[] { "client", "server" })
            {
                var expired = new LabCertificate(IssueKubeletCertificate(node, kind, signer).Subject, signer, installed, installed + TimeSpan.FromDays(1));
                node.Host.FileSystem.Delete($"{PkiDirectory}/kubelet-{kind}-current.pem");
                WriteKubeletCertificate(node, kind, expired);
            }
        }
        ApiServingCertificate = new LabCertificate("CN=api-int." + Lab.Info.Name, "CN=kube-apiserver-lb-signer", installed, installed + TimeSpan.FromDays(1));
        foreach (var node in _nodes.Where(n => n.IsUp)) PowerOff(node);
        foreach (var node in _nodes.Where(n => n.Host.Reachable)) Boot(node, settledFor: null);
    });

    /// <summary>
    /// Takes a backup on <paramref name="host"/> into <paramref name="directory"/> as cluster-backup.sh does; with
    /// <paramref name="openShiftVersion"/> the backup is one taken before an upgrade (its data carries that z-stream).
    /// </summary>
    public void WriteBackup(string host, string directory, string? openShiftVersion = null) => Change(() =>
    {
        var node = Node(host) ?? throw new ArgumentException($"no host {host}", nameof(host));
        var (code, lines) = TakeBackup(node, directory, force: true);
        if (code != 0) throw new InvalidOperationException("backup failed: " + string.Join(" | ", lines.Select(l => l.Text)));
        if (openShiftVersion is null) return;
        var files = node.Host.FileSystem;
        foreach (var name in files.List(directory) ?? [])
        {
            var path = directory.TrimEnd('/') + "/" + name;
            files.TryReadFile(path, out var text);
            if (EtcdSnapshotFile.Parse(text) is { } snapshot)
            {
                var objects = new SortedDictionary<string, JsonObject>(snapshot.Objects, StringComparer.Ordinal);
                const string cv = "/apis/config.openshift.io/v1/clusterversions/version";
                if (objects.TryGetValue(cv, out var version))
                {
                    version = (JsonObject)version.DeepClone();
                    version["status"]!["desired"]!["version"] = openShiftVersion;
                    objects[cv] = version;
                }
                files.WriteFile(path, EtcdSnapshotFile.Create(objects, snapshot.Revision, openShiftVersion, snapshot.EtcdVersion, snapshot.ClusterId, snapshot.TakenAt).ToText());
            }
            else if (BackupArchive.Parse(text) is { } archive)
            {
                files.WriteFile(path, archive.WithOpenShiftVersion(openShiftVersion).ToText());
            }
        }
    });

    public static TimeSpan ParseDuration(string text)
    {
        var unit = text[^1];
        var value = double.Parse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture);
        return unit switch
        {
            's' => TimeSpan.FromSeconds(value),
            'm' => TimeSpan.FromMinutes(value),
            'h' => TimeSpan.FromHours(value),
            'd' => TimeSpan.FromDays(value),
            _ => throw new FormatException($"'{text}' is not a duration (30s, 5m, 2h, 30d)"),
        };
    }
}
