using System.Globalization;
using System.Text.Json.Nodes;
using RecoveryConsole.Lab.Ocp4.Etcd;

namespace RecoveryConsole.Lab.Ocp4;

/// <summary>A line a simulated program prints; Error lines go to stderr.</summary>
internal readonly record struct OutLine(bool Error, string Text)
{
    public static OutLine Out(string text) => new(false, text);
    public static OutLine Err(string text) => new(true, text);
}

// cluster-backup.sh as the model runs it (also at seed time): static pod resources of the running revisions and a
// snapshot of the etcd member on this host, refused while an operator is progressing unless forced.
public sealed partial class Ocp4Cluster
{
    internal const string EtcdEnvPath = StaticPods.ResourcesDirectory + "/etcd-certs/configmaps/etcd-scripts/etcd.env";
    internal const string CommonToolsPath = StaticPods.ResourcesDirectory + "/etcd-certs/configmaps/etcd-scripts/etcd-common-tools";
    internal const string EtcdctlBinary = StaticPods.ResourcesDirectory + "/bin/etcdctl";
    internal const string LocalhostKubeconfig = StaticPods.ResourcesDirectory + "/kube-apiserver-certs/secrets/node-kubeconfigs/localhost.kubeconfig";
    private const string InPodCaCert = "/etc/kubernetes/static-pod-certs/configmaps/etcd-serving-ca/ca-bundle.crt";
    private const string HostCaCert = StaticPods.ResourcesDirectory + "/etcd-certs/configmaps/etcd-serving-ca/ca-bundle.crt";

    /// <summary>What a client (oc with a kubeconfig) gets for a GET: null when the API does not answer or has no etcd.</summary>
    internal JsonObject? ClientGet(string path) => ApiServing ? Api.Get(path) : null;

    /// <summary>Runs the steps of cluster-backup.sh on <paramref name="node"/> (root and arguments already checked).</summary>
    internal (int Code, List<OutLine> Lines) TakeBackup(Ocp4Node node, string directory, bool force)
    {
        var lines = new List<OutLine>();
        var files = node.Host.FileSystem;
        var stamp = Now.UtcDateTime.ToString("yyyy-MM-dd_HHmmss", CultureInfo.InvariantCulture);
        var dirty = force ? "__POSSIBLY_DIRTY__" : "";
        var tarFile = $"{directory.TrimEnd('/')}/static_kuberesources_{stamp}{dirty}.tar.gz";
        var snapshotFile = $"{directory.TrimEnd('/')}/snapshot_{stamp}{dirty}.db";
        files.CreateDirectory(directory);

        if (!files.FileExists(EtcdEnvPath) || !files.FileExists(CommonToolsPath))
        {
            lines.Add(OutLine.Out("required dependencies not found, please ensure this script is run on a node with a functional etcd static pod"));
            return (1, lines);
        }
        lines.Add(OutLine.Out($"Certificate {InPodCaCert} is missing. Checking in different directory"));
        if (!files.FileExists(HostCaCert))
        {
            lines.Add(OutLine.Out($"Certificate {HostCaCert} is also missing in the second directory. Exiting!"));
            return (1, lines);
        }
        lines.Add(OutLine.Out($"Certificate {HostCaCert} found!"));

        var archive = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var spec in StaticPods.ControlPlane)
        {
            if (!files.TryReadFile(spec.ManifestPath, out var manifestText))
            {
                lines.Add(OutLine.Out($"error finding manifests for the {spec.Resource} pod. please check if it is running."));
                return (1, lines);
            }
            var resourceDir = ParsedManifest.Parse(spec.ManifestFile, manifestText)?.ResourceDirectory;
            if (resourceDir is null || !resourceDir.StartsWith($"{StaticPods.ResourcesDirectory}/{spec.Resource}-pod-", StringComparison.Ordinal))
            {
                lines.Add(OutLine.Out($"error finding static-pod-resources for the {spec.Resource} pod. please check if it is running."));
                return (1, lines);
            }
            if (!force)
            {
                if (!files.FileExists(LocalhostKubeconfig))
                {
                    lines.Add(OutLine.Out("Valid kubeconfig is not found in kube-apiserver-certs. Exiting!"));
                    return (1, lines);
                }
                var progressing = (ClientGet($"{ClusterOperatorsPath}/{spec.ClusterOperator}")?["status"]?["conditions"] as JsonArray)?
                    .OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == "Progressing")?["status"];
                if (progressing is null)
                {
                    lines.Add(OutLine.Err($"The connection to the server localhost:6443 was refused - did you specify the right host or port?"));
                    lines.Add(OutLine.Out($"Could not find the status of the {spec.Resource}. Check if the API server is running. Pass the --force flag to skip checks."));
                    return (1, lines);
                }
                if ((string?)progressing != "False")
                {
                    lines.Add(OutLine.Out($"Currently the {spec.Resource} operator is progressing. A reliable backup requires that a rollout is not in progress.  Aborting!"));
                    return (1, lines);
                }
            }
            lines.Add(OutLine.Out($"found latest {spec.Resource}: {resourceDir}"));
            foreach (var file in files.FilesUnder(resourceDir))
            {
                files.TryReadFile(file, out var content);
                archive[file["/etc/kubernetes/".Length..]] = content;
            }
        }
        files.WriteFile(tarFile, new BackupArchive(archive, Release.Version).ToText());

        lines.AddRange(DownloadEtcdctl(node));
        var endpoint = node.ClientUrl;
        lines.Add(OutLine.Err(ZapLog(Now, "info", "snapshot/v3_snapshot.go:65", "created temporary db file", ("path", snapshotFile + ".part"))));
        if (EtcdAt(endpoint) is not { } etcd)
        {
            lines.Add(OutLine.Err(ZapLog(Now, "warn", $"v3@v{Release.EtcdVersion}/retry_interceptor.go:62", "retrying of unary invoker failed",
                ("target", "etcd-endpoints://0xc000036000/" + endpoint[8..]), ("attempt", 0),
                ("error", $"rpc error: code = DeadlineExceeded desc = latest balancer error: last connection error: connection error: desc = \"transport: Error while dialing: dial tcp {endpoint[8..]}: connect: connection refused\""))));
            lines.Add(OutLine.Err("Error: context deadline exceeded"));
            files.Delete(tarFile); // trap ERR
            files.Delete(snapshotFile);
            return (1, lines);
        }
        var (objects, revision) = KeyspaceOf(etcd.Binding.Cluster);
        var version = (string?)objects.GetValueOrDefault("/apis/config.openshift.io/v1/clusterversions/version")?["status"]?["desired"]?["version"] ?? Release.Version;
        var snapshot = EtcdSnapshotFile.Create(objects, revision, version, Release.EtcdVersion, etcd.Binding.Cluster.ClusterId, Now);
        lines.Add(OutLine.Err(ZapLog(Now, "info", $"v3@v{Release.EtcdVersion}/maintenance.go:212", "opened snapshot stream; downloading")));
        lines.Add(OutLine.Err(ZapLog(Now, "info", "snapshot/v3_snapshot.go:73", "fetching snapshot", ("endpoint", endpoint))));
        lines.Add(OutLine.Err(ZapLog(Now, "info", $"v3@v{Release.EtcdVersion}/maintenance.go:220", "completed snapshot read; closing")));
        lines.Add(OutLine.Err(ZapLog(Now, "info", "snapshot/v3_snapshot.go:88", "fetched snapshot", ("endpoint", endpoint), ("size", HumanBytes(snapshot.TotalSize)), ("took", "now"))));
        files.WriteFile(snapshotFile, snapshot.ToText());
        lines.Add(OutLine.Err(ZapLog(Now, "info", "snapshot/v3_snapshot.go:97", "saved", ("path", snapshotFile))));
        lines.Add(OutLine.Out($"Snapshot saved at {snapshotFile}"));
        lines.Add(OutLine.Err("Deprecated: Use `etcdutl snapshot status` instead."));
        lines.Add(OutLine.Err(""));
        lines.Add(OutLine.Out(SnapshotStatusJson(snapshot)));
        lines.Add(OutLine.Out($"snapshot db and kube resources are successfully saved to {directory}"));
        return (0, lines);
    }

    /// <summary>dl_etcdctl: uses a cached etcdctl, or copies it out of the etcd image with podman.</summary>
    internal List<OutLine> DownloadEtcdctl(Ocp4Node node)
    {
        var files = node.Host.FileSystem;
        if (files.FileExists(EtcdctlBinary)) return [OutLine.Out("etcdctl is already installed")];
        files.WriteFile(EtcdctlBinary, $"ELF etcdctl {Release.EtcdVersion} (lab)\n");
        return
        [
            OutLine.Out(Ids.Hex(64)),
            OutLine.Out($"etcdctl version: {Release.EtcdVersion}"),
            OutLine.Out("API version: 3.5"),
        ];
    }

    internal static string SnapshotStatusJson(EtcdSnapshotFile snapshot) => new JsonObject
    {
        ["hash"] = snapshot.Hash,
        ["revision"] = snapshot.Revision,
        ["totalKey"] = snapshot.TotalKeys,
        ["totalSize"] = snapshot.TotalSize,
    }.ToJsonString();

    /// <summary>go-humanize Bytes (SI units): "46 MB", "2.1 MB".</summary>
    internal static string HumanBytes(long size)
    {
        if (size < 10) return size.ToString(CultureInfo.InvariantCulture) + " B";
        string[] units = ["B", "kB", "MB", "GB", "TB", "PB", "EB"];
        var e = (int)Math.Floor(Math.Log(size) / Math.Log(1000));
        var value = Math.Floor(size / Math.Pow(1000, e) * 10 + 0.5) / 10;
        return (value < 10 ? value.ToString("0.0", CultureInfo.InvariantCulture) : value.ToString("0", CultureInfo.InvariantCulture)) + " " + units[e];
    }
}
