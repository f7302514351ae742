using System.Text;
using RecoveryConsole.Lab.Ocp4.Commands;
using RecoveryConsole.Lab.Shell;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Lab.Legacy.Ocp42;

/// <summary>
/// The programs of a 4.2/4.3 lab cluster's hosts: the recovery scripts in /usr/local/bin, podman (the recovery API
/// server and regenerate-certificates), systemctl for the kubelet, etcdctl (v3, as in the etcd-member container),
/// crictl ps, ss, touch, and oc (<see cref="Ocp42Oc"/>: release info, get, patch).
/// </summary>
internal static class Ocp42Commands
{
    public static void Register(LabCommandRegistry registry, Ocp42Cluster model)
    {
        registry
            .Register("etcd-snapshot-backup.sh", c => BackupAsync(model, c))
            .Register("etcd-snapshot-restore.sh", c => RestoreAsync(model, c))
            .Register("tokenize-signer.sh", c => TokenizeAsync(model, c))
            .Register("etcd-member-recover.sh", c => RecoverAsync(model, c))
            .Register("recover-kubeconfig.sh", c => RecoverKubeconfigAsync(model, c))
            .Register("podman", c => PodmanAsync(model, c))
            .Register("systemctl", c => SystemctlAsync(model, c))
            .Register("etcdctl", c => EtcdctlAsync(model, c))
            .Register("crictl", c => CrictlAsync(model, c))
            .Register("ss", c => SsAsync(model, c))
            .Register("touch", TouchAsync)
            .Register("oc", c => Ocp42Oc.RunAsync(model, c));
    }

    private static async Task<bool> RootAsync(LabCommandContext c)
    {
        if (c.Privileged) return true;
        await c.ErrAsync($"{c.DisplayName}: this script must be run as root (sudo -E)");
        return false;
    }

    private static async Task<int> BackupAsync(Ocp42Cluster model, LabCommandContext c)
    {
        if (!await RootAsync(c)) return 1;
        if (c.Args.Count < 1)
        {
            await c.ErrAsync("usage: etcd-snapshot-backup.sh <backup directory>");
            return 1;
        }
        if (!model.HasQuorum)
        {
            await c.ErrAsync("Error: context deadline exceeded");
            return 1;
        }
        var dir = c.ResolvePath(c.Args[0]);
        var stamp = model.Now.ToString("yyyy-MM-dd_HHmmss", System.Globalization.CultureInfo.InvariantCulture);
        foreach (var line in new[] { "Creating asset directory ./assets", "Downloading etcdctl binary..", "etcdctl version: 3.3.17", "API version: 3.3",
                     "found latest kube-apiserver-pod: /etc/kubernetes/static-pod-resources/kube-apiserver-pod-7",
                     "found latest kube-controller-manager-pod: /etc/kubernetes/static-pod-resources/kube-controller-manager-pod-5",
                     "found latest kube-scheduler-pod: /etc/kubernetes/static-pod-resources/kube-scheduler-pod-6",
                     "found latest etcd-member: /etc/kubernetes/static-pod-resources/etcd-member" })
            await c.OutAsync(line);
        lock (model.Sync) model.WriteBackupFiles(c.Host, dir, stamp, $"backup-{stamp}");
        await c.OutAsync($"Snapshot saved at {dir}/snapshot_{stamp}.db");
        await c.OutAsync($"snapshot db and kube resources are successfully saved to {dir}!");
        return 0;
    }

    private static async Task<int> RestoreAsync(Ocp42Cluster model, LabCommandContext c)
    {
        if (!await RootAsync(c)) return 1;
        if (c.Args.Count < 2)
        {
            await c.ErrAsync("usage: etcd-snapshot-restore.sh <path-to-backup> $INITIAL_CLUSTER");
            return 1;
        }
        var dir = c.ResolvePath(c.Args[0]);
        var files = c.Host.FileSystem.FilesUnder(dir);
        var snapshot = files.FirstOrDefault(f => LabFileName(f).StartsWith("snapshot_", StringComparison.Ordinal) && (f.EndsWith(".db", StringComparison.Ordinal) || f.EndsWith(".tar.gz", StringComparison.Ordinal)));
        var resources = files.FirstOrDefault(f => LabFileName(f).StartsWith("static_kuberesources_", StringComparison.Ordinal) || LabFileName(f).StartsWith("snapshot_db_kuberesources_", StringComparison.Ordinal));
        if (snapshot is null || resources is null || !c.Host.FileSystem.TryReadFile(snapshot, out var snapshotText))
        {
            await c.ErrAsync($"Backup files not found in {c.Args[0]}: expected snapshot_<datetimestamp>.db and static_kuberesources_<datetimestamp>.tar.gz");
            return 1;
        }
        var backup = snapshotText.Split(' ', '\n').FirstOrDefault(p => p.StartsWith("backup=", StringComparison.Ordinal))?[7..] ?? snapshot;
        await c.OutAsync("Creating asset directory ./assets");
        await c.OutAsync("Downloading etcdctl binary..");
        await c.OutAsync("etcdctl version: 3.3.17");
        await c.OutAsync("API version: 3.3");
        await c.OutAsync("Backing up /etc/kubernetes/manifests/etcd-member.yaml to ./assets/backup/");
        await c.OutAsync("Stopping all static pods..");
        foreach (var pod in new[] { "kube-scheduler-pod.yaml", "kube-controller-manager-pod.yaml", "kube-apiserver-pod.yaml", "etcd-member.yaml" })
            await c.OutAsync($"..stopping {pod}");
        await c.OutAsync("Stopping etcd..");
        await c.OutAsync("Waiting for etcd-member to stop");
        await c.Clock.DelayAsync(TimeSpan.FromSeconds(10), c.CancellationToken);
        await c.OutAsync("Stopping kubelet..");
        await c.OutAsync("Stopping all containers..");
        await c.OutAsync("Backing up etcd data-dir..");
        await c.OutAsync("Removing etcd data-dir /var/lib/etcd");
        await c.OutAsync($"Restoring etcd member {model.EtcdName(c.Host.Name)} from snapshot..");
        var (ok, clusterId, memberId, error) = model.Restore(c.Host, backup, c.Args[1]);
        if (clusterId.Length == 0)
        {
            await c.ErrAsync($"Error: {error}");
            return 1;
        }
        var stamp = model.Now.ToString("yyyy-MM-dd HH:mm:ss.ffffff", System.Globalization.CultureInfo.InvariantCulture);
        await c.OutAsync($"{stamp} I | mvcc: restore compact to {model.Cluster.Api.Revision}");
        await c.OutAsync($"{stamp} I | etcdserver/membership: added member {memberId} [{model.PeerUrl(c.Host.Name)}] to cluster {clusterId}");
        await c.OutAsync("Starting static pods..");
        foreach (var pod in new[] { "kube-scheduler-pod.yaml", "kube-controller-manager-pod.yaml", "kube-apiserver-pod.yaml", "etcd-member.yaml" })
            await c.OutAsync($"..starting {pod}");
        await c.OutAsync("Starting kubelet..");
        if (!ok)
        {
            await c.ErrAsync($"{stamp} E | {error}");
            return 1;
        }
        return 0;
    }

    private static string LabFileName(string path) => path[(path.LastIndexOf('/') + 1)..];

    private static async Task<int> TokenizeAsync(Ocp42Cluster model, LabCommandContext c)
    {
        if (!await RootAsync(c)) return 1;
        if (c.Args.Count < 1 || model.Masters.All(h => h.Name != c.Args[0]))
        {
            await c.ErrAsync($"usage: tokenize-signer.sh <master hostname>{(c.Args.Count > 0 ? $" ({c.Args[0]} is not a master)" : "")}");
            return 1;
        }
        if (!c.Environment.ContainsKey("KUBE_ETCD_SIGNER_SERVER"))
        {
            await c.ErrAsync("KUBE_ETCD_SIGNER_SERVER is not set: export it with oc adm release info --image-for kube-etcd-signer-server");
            return 1;
        }
        await c.OutAsync("Populating template /usr/local/share/openshift-recovery/template/kube-etcd-cert-signer.yaml.template");
        await c.OutAsync("Populating template ./assets/tmp/kube-etcd-cert-signer.yaml.stage1");
        c.Host.FileSystem.WriteFile($"{c.Host.HomeDirectory}/assets/manifests/kube-etcd-cert-signer.yaml",
            $"apiVersion: v1\nkind: Pod\nmetadata:\n  name: etcd-signer\n  namespace: openshift-config\nspec:\n  nodeName: {c.Args[0]}\n  hostNetwork: true\n  containers:\n  - name: kube-etcd-signer-server\n    image: {c.Environment["KUBE_ETCD_SIGNER_SERVER"]}\n    args: [\"serve\", \"--listen-address=0.0.0.0:9943\"]\n");
        lock (model.Sync) model.TokenizeSigner(c.Host, c.Args[0]);
        await c.OutAsync("Tokenized template now ready: ./assets/manifests/kube-etcd-cert-signer.yaml");
        return 0;
    }

    private static async Task<int> RecoverAsync(Ocp42Cluster model, LabCommandContext c)
    {
        if (!await RootAsync(c)) return 1;
        if (c.Args.Count < 2)
        {
            await c.ErrAsync("usage: etcd-member-recover.sh <signer server ip> <etcd member name>");
            return 1;
        }
        foreach (var variable in new[] { "SETUP_ETCD_ENVIRONMENT", "KUBE_CLIENT_AGENT" }.Where(v => !c.Environment.ContainsKey(v)))
        {
            await c.ErrAsync($"{variable} is not set: export it with oc adm release info --image-for ... and run with sudo -E");
            return 1;
        }
        await c.OutAsync("Downloading etcdctl binary..");
        await c.OutAsync("etcdctl version: 3.3.17");
        await c.OutAsync("API version: 3.3");
        await c.OutAsync("Stopping etcd..");
        await c.OutAsync("Waiting for etcd-member to stop");
        await c.OutAsync("Removing etcd certs..");
        await c.OutAsync("Populating template /usr/local/share/openshift-recovery/template/etcd-generate-certs.yaml.template");
        await c.OutAsync("Starting etcd client cert recovery agent..");
        if (!model.SignerListening(c.Args[0]))
        {
            for (var i = 0; i < 6; i++)
            {
                await c.OutAsync("Waiting for certs to generate..");
                await c.Clock.DelayAsync(TimeSpan.FromSeconds(10), c.CancellationToken);
            }
            await c.ErrAsync($"timed out waiting for certs: no etcd signer answers on {c.Args[0]}:9943");
            return 1;
        }
        for (var i = 0; i < 4; i++) await c.OutAsync("Waiting for certs to generate..");
        await c.Clock.DelayAsync(TimeSpan.FromSeconds(40), c.CancellationToken);
        var (ok, error, memberId, cluster) = model.RecoverMember(c.Host, c.Args[0], c.Args[1]);
        if (!ok)
        {
            await c.ErrAsync($"Error: {error}");
            return 1;
        }
        await c.OutAsync("Stopping cert recover..");
        await c.OutAsync("Waiting for generate-certs to stop");
        await c.OutAsync("Patching etcd-member manifest..");
        await c.OutAsync("Updating etcd membership..");
        await c.OutAsync($"Member {memberId} added to cluster {cluster!.Id}");
        await c.OutAsync("");
        await c.OutAsync($"ETCD_NAME=\"{c.Args[1]}\"");
        await c.OutAsync($"ETCD_INITIAL_CLUSTER=\"{string.Join(',', cluster.Members.Select(m => $"{m.Name}={m.PeerUrl}"))}\"");
        await c.OutAsync($"ETCD_INITIAL_ADVERTISE_PEER_URLS=\"{model.PeerUrl(c.Host.Name)}\"");
        await c.OutAsync("ETCD_INITIAL_CLUSTER_STATE=\"existing\"");
        await c.OutAsync("Starting etcd..");
        return 0;
    }

    private static async Task<int> RecoverKubeconfigAsync(Ocp42Cluster model, LabCommandContext c)
    {
        if (!model.RecoveryApiserverRunning && model.ControlPlaneCertificatesExpired)
        {
            await c.ErrAsync("error: the recovery API server is not running (podman ... recovery-apiserver create)");
            return 1;
        }
        var text = new StringBuilder()
            .Append("apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: TGFiUmVjb3ZlcmVkTG9jYWxob3N0Q0E=\n")
            .Append($"    server: https://localhost:6443\n  name: local\ncontexts:\n- context:\n    cluster: local\n    user: kubelet\n  name: kubelet\n")
            .Append("current-context: kubelet\nkind: Config\npreferences: {}\nusers:\n- name: kubelet\n  user:\n    client-certificate-data: TGFiUmVjb3ZlcmVkS3ViZWxldA==\n    client-key-data: TGFiUmVjb3ZlcmVkS2V5\n")
            .ToString();
        lock (model.Sync) model.SetRecoveredKubeconfig(text);
        foreach (var line in text.TrimEnd('\n').Split('\n')) await c.OutAsync(line);
        return 0;
    }

    private static async Task<int> PodmanAsync(Ocp42Cluster model, LabCommandContext c)
    {
        var args = c.Args;
        if (args is ["ps", ..])
        {
            var rows = new List<IReadOnlyList<string>>();
            if (model.RecoveryApiserverRunning && model.Masters.Any(h => h.Name == c.Host.Name) && RecoveryHost(model) == c.Host.Name)
                rows.Add(["5c2f6d1a9b7e", Ocp42Release.Components["cluster-kube-apiserver-operator"], "recovery-apiserver create", "3 minutes ago", "Up 3 minutes ago", "", "recovery-apiserver"]);
            foreach (var line in TextTables.Tabwriter(["CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES"], rows, 0, 2)) await c.OutAsync(line);
            return 0;
        }
        if (args is ["pull", ..])
        {
            await c.OutAsync("Trying to pull " + args[^1] + "...");
            if (Ocp42Release.PullRefusal(args[^1]) is { } refused)
            {
                await c.ErrAsync(refused);
                return 125;
            }
            await c.OutAsync("Writing manifest to image destination");
            await c.OutAsync("Storing signatures");
            return 0;
        }
        if (args is not ["run", ..])
        {
            await c.ErrAsync($"Error: unrecognized command `podman {string.Join(' ', args)}`");
            return 125;
        }
        if (!c.Privileged && c.Host.HomeDirectory != "/root")
        {
            await c.ErrAsync("Error: error creating container storage: permission denied (run podman as root)");
            return 125;
        }
        var entrypoint = args.FirstOrDefault(a => a.StartsWith("--entrypoint=", StringComparison.Ordinal));
        var tail = args.SkipWhile(a => a != "recovery-apiserver" && a != "regenerate-certificates").ToList();
        if (entrypoint != "--entrypoint=/usr/bin/cluster-kube-apiserver-operator" || tail.Count == 0)
        {
            await c.ErrAsync("Error: only cluster-kube-apiserver-operator recovery-apiserver create|destroy and regenerate-certificates are simulated");
            return 125;
        }
        if (Ocp42Release.RunRefusal(Ocp42Release.ImageOf(args)) is { } cannot)
        {
            await c.ErrAsync(cannot.Message);
            return cannot.Exit;
        }
        if (!args.Contains("--network=host") || !args.Any(a => a.StartsWith("/etc/kubernetes/:/etc/kubernetes/", StringComparison.Ordinal)))
        {
            await c.ErrAsync("Error: the operator needs --network=host and -v /etc/kubernetes/:/etc/kubernetes/:Z");
            return 1;
        }
        switch (tail)
        {
            case ["recovery-apiserver", "create", ..]:
                lock (model.Sync)
                {
                    model.MarkRecoveryApiserver(c.Host.Name, true);
                    c.Host.FileSystem.WriteFile("/etc/kubernetes/static-pod-resources/recovery-kube-apiserver-pod/admin.kubeconfig",
                        "apiVersion: v1\nclusters:\n- cluster:\n    server: https://localhost:7443\n  name: recovery\nkind: Config\n");
                    c.Host.FileSystem.WriteFile($"{Ocp42Cluster.Manifests}/recovery-kube-apiserver-pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: recovery-kube-apiserver\n");
                }
                await c.OutAsync("I0115 12:00:00.000000       1 create.go:62] Recovery apiserver is running.");
                await c.OutAsync("export KUBECONFIG=/etc/kubernetes/static-pod-resources/recovery-kube-apiserver-pod/admin.kubeconfig");
                return 0;
            case ["recovery-apiserver", "destroy", ..]:
                lock (model.Sync)
                {
                    model.MarkRecoveryApiserver(c.Host.Name, false);
                    c.Host.FileSystem.Delete($"{Ocp42Cluster.Manifests}/recovery-kube-apiserver-pod.yaml");
                    model.Reconcile();
                }
                await c.OutAsync("I0115 12:30:00.000000       1 destroy.go:41] Recovery apiserver destroyed.");
                return 0;
            case ["regenerate-certificates", ..]:
                if (!model.RecoveryApiserverRunning)
                {
                    await c.ErrAsync("F0115 12:05:00.000000       1 cmd.go:72] Get https://localhost:7443/api/v1/namespaces/openshift-config-managed/secrets/kube-apiserver-server-ca: dial tcp [::1]:7443: connect: connection refused");
                    return 255;
                }
                lock (model.Sync) model.MarkRegenerated();
                foreach (var line in new[] { "I0115 12:05:00.000000       1 certrotationcontroller.go:492] Regenerating certificates",
                             "I0115 12:05:01.000000       1 certrotationcontroller.go:556] Refreshed kube-apiserver serving certificates",
                             "I0115 12:05:02.000000       1 certrotationcontroller.go:556] Refreshed kube-apiserver-to-kubelet-client-ca",
                             "I0115 12:05:02.000000       1 regenerate.go:108] Certificates regenerated. Force a new rollout of the control plane." })
                    await c.OutAsync(line);
                return 0;
            default:
                await c.ErrAsync($"Error: unknown command \"{string.Join(' ', tail)}\" for \"cluster-kube-apiserver-operator\"");
                return 1;
        }
    }

    private static string? RecoveryHost(Ocp42Cluster model) =>
        model.Masters.FirstOrDefault(h => h.FileSystem.FileExists($"{Ocp42Cluster.Manifests}/recovery-kube-apiserver-pod.yaml"))?.Name;

    private static async Task<int> SystemctlAsync(Ocp42Cluster model, LabCommandContext c)
    {
        var words = c.Args.Where(a => !a.StartsWith('-')).ToList();
        if (words.Count < 2)
        {
            await c.ErrAsync("Too few arguments.");
            return 1;
        }
        var unit = words[1].EndsWith(".service", StringComparison.Ordinal) ? words[1][..^8] : words[1];
        if (unit is not ("kubelet" or "crio"))
        {
            await c.ErrAsync($"Failed to {words[0]} {unit}.service: Unit {unit}.service not found.");
            return 5;
        }
        if (words[0] is "start" or "stop" or "restart" && !c.Privileged && c.Host.HomeDirectory != "/root")
        {
            await c.ErrAsync($"Failed to {words[0]} {unit}.service: Interactive authentication required.");
            return 1;
        }
        switch (words[0])
        {
            case "stop" when unit == "kubelet":
                model.StopKubelet(c.Host);
                return 0;
            case "start" or "restart" when unit == "kubelet":
                model.StartKubelet(c.Host);
                return 0;
            case "is-active":
                var active = unit != "kubelet" || model.Kubelet(c.Host.Name).Running;
                await c.OutAsync(active ? "active" : "inactive");
                return active ? 0 : 3;
            default:
                return 0;
        }
    }

    private static async Task<int> EtcdctlAsync(Ocp42Cluster model, LabCommandContext c)
    {
        var o = CommandOutput.Options.Parse(c.Args, ["--endpoints", "--cacert", "--cert", "--key", "-w", "--write-out"], ["--cluster"]);
        if (!model.EtcdRunning(c.Host) || !model.HasQuorum || model.LiveCluster is not { } live)
        {
            await c.ErrAsync("Error: context deadline exceeded");
            return 1;
        }
        switch (o.Positional)
        {
            case ["member", "list", ..]:
                var rows = live.Members.Select(m =>
                {
                    var host = model.Masters.FirstOrDefault(h => h.Name == m.Host);
                    var started = host is not null && model.EtcdRunning(host) && model.DataOf(host)?.MemberId == m.Id;
                    return (IReadOnlyList<string>)[m.Id, started ? "started" : "unstarted", started ? m.Name : "", m.PeerUrl, started && host is not null ? $"https://{host.Address}:2379" : ""];
                }).ToList();
                if ((o.Value("-w", "--write-out") ?? "simple") == "table")
                    foreach (var line in TextTables.Bordered(["ID", "STATUS", "NAME", "PEER ADDRS", "CLIENT ADDRS"], rows, TextTables.Align.Right)) await c.OutAsync(line);
                else
                    foreach (var row in rows) await c.OutAsync(string.Join(", ", row));
                return 0;
            case ["endpoint", "health", ..]:
                await c.OutAsync($"https://{c.Host.Address}:2379 is healthy: successfully committed proposal: took = 1.934282ms");
                return 0;
            default:
                await c.ErrAsync($"Error: unknown command \"{string.Join(' ', o.Positional)}\" for \"etcdctl\"");
                return 1;
        }
    }

    private static async Task<int> CrictlAsync(Ocp42Cluster model, LabCommandContext c)
    {
        if (c.Args is ["exec", ..]) return await Ocp42CrictlExec.RunAsync(model, c, EtcdctlAsync);
        if (c.Args is not ["ps", ..])
        {
            await c.ErrAsync("crictl: only ps and exec are simulated on 4.2/4.3 lab hosts");
            return 1;
        }
        var name = c.Args.SkipWhile(a => a != "--name").Skip(1).FirstOrDefault();
        var rows = new List<IReadOnlyList<string>>();
        if (model.EtcdRunning(c.Host) && (name is null || "etcd-member".Contains(name, StringComparison.Ordinal)))
            rows.Add([Ocp42CrictlExec.EtcdMemberContainer, Ocp42Release.Components["etcd"], "About an hour ago", "Running", "etcd-member", "0"]);
        foreach (var line in TextTables.Tabwriter(["CONTAINER", "IMAGE", "CREATED", "STATE", "NAME", "ATTEMPT"], rows)) await c.OutAsync(line);
        return 0;
    }

    private static async Task<int> SsAsync(Ocp42Cluster model, LabCommandContext c)
    {
        await c.OutAsync("State      Recv-Q Send-Q Local Address:Port               Peer Address:Port");
        if (model.EtcdRunning(c.Host)) await c.OutAsync("LISTEN     0      128          *:2379                        *:*");
        if (model.SignerListening(c.Host.Address)) await c.OutAsync("LISTEN     0      128         [::]:9943                      [::]:*");
        await c.OutAsync("LISTEN     0      128          *:22                          *:*");
        return 0;
    }

    private static async Task<int> TouchAsync(LabCommandContext c)
    {
        foreach (var operand in c.Args.Where(a => !a.StartsWith('-')))
        {
            var path = c.ResolvePath(operand);
            if (!c.Privileged && !path.StartsWith("/tmp/", StringComparison.Ordinal) && !path.StartsWith(c.Host.HomeDirectory + "/", StringComparison.Ordinal))
            {
                await c.ErrAsync($"touch: cannot touch '{operand}': Permission denied");
                return 1;
            }
            if (!c.Host.FileSystem.FileExists(path)) c.Host.FileSystem.WriteFile(path, "");
        }
        return 0;
    }
}
