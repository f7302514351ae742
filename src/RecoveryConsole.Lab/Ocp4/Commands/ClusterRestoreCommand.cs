using System.Text.RegularExpressions;
using RecoveryConsole.Lab.Ocp4.Etcd;
using RecoveryConsole.Lab.Shell;

namespace RecoveryConsole.Lab.Ocp4.Commands;

/// <summary>
/// /usr/local/bin/cluster-restore.sh DIR (OCP 4.x). Up to 4.17 (the document's output) it stops kube-apiserver,
/// kube-controller-manager, kube-scheduler and etcd by moving their manifests to /home/core/assets/manifests-stopped,
/// waits for each container ("Waiting for container X to stop", a dot per second, "complete"), moves
/// /var/lib/etcd/member to /var/lib/etcd-backup, extracts the backup's static pod resources, starts the restore-etcd
/// pod and the backup's three control-plane pods. From 4.18 it stops and restarts etcd only. Like the real script it
/// checks little: what happens to the rest of the cluster is the model's business.
/// </summary>
internal sealed partial class ClusterRestoreCommand(Ocp4Cluster model) : ILabCommand
{
    public const string ScriptPath = "/usr/local/bin/cluster-restore.sh";
    private const string StoppedDirectory = "/home/core/assets/manifests-stopped";
    private const string RestorePodYaml = StaticPods.ResourcesDirectory + "/etcd-certs/configmaps/restore-etcd-pod/pod.yaml";
    private static readonly string[] AuxiliaryPods = ["kube-apiserver-pod.yaml", "kube-controller-manager-pod.yaml", "kube-scheduler-pod.yaml"];

    public string Name => "cluster-restore.sh";

    public async Task<int> RunAsync(LabCommandContext context)
    {
        if (await ScriptFile.MissingAsync(context, ScriptPath).ConfigureAwait(false) is { } missing) return missing;
        if (!context.Privileged) return await SayAsync(context, 1, "This script must be run as root").ConfigureAwait(false);
        var files = context.Host.FileSystem;
        if (!files.FileExists(Ocp4Cluster.EtcdEnvPath) || !files.FileExists(Ocp4Cluster.CommonToolsPath))
            return await SayAsync(context, 1, "required dependencies not found, please ensure this script is run on a node with a functional etcd static pod").ConfigureAwait(false);
        var argument = context.Args.Count > 0 ? context.Args[0] : "";
        if (argument.Length == 0 || !files.DirectoryExists(context.ResolvePath(argument)))
        {
            await context.OutAsync("Path to the directory containing backup files is required: ./cluster-restore.sh <path-to-backup>").ConfigureAwait(false);
            await context.OutAsync("The backup directory is expected to be contain two files:").ConfigureAwait(false);
            await context.OutAsync("        1. etcd snapshot").ConfigureAwait(false);
            await context.OutAsync("        2. A copy of the Static POD resources at the time of backup").ConfigureAwait(false);
            return 1;
        }

        var backupFile = await LatestAsync(context, argument, "static_kuberesources", ".tar.gz").ConfigureAwait(false);
        var snapshotFile = await LatestAsync(context, argument, "snapshot", ".db").ConfigureAwait(false);
        if (snapshotFile.Length == 0 || !files.FileExists(context.ResolvePath(snapshotFile)))
            return await SayAsync(context, 1, $"etcd snapshot {snapshotFile} does not exist").ConfigureAwait(false);

        var node = model.Read(() => model.NodeOf(context.Host));
        await CommandOutput.PrintAsync(context, 0, model.Change(() => model.DownloadEtcdctl(node))).ConfigureAwait(false);
        files.TryReadFile(context.ResolvePath(snapshotFile), out var snapshotText);
        await context.ErrAsync("Deprecated: Use `etcdutl snapshot status` instead.").ConfigureAwait(false);
        await context.ErrAsync("").ConfigureAwait(false);
        if (EtcdSnapshotFile.Parse(snapshotText) is not { } snapshot)
        {
            await context.ErrAsync("Error: invalid database").ConfigureAwait(false);
            return await SayAsync(context, 1, "Backup integrity verification failed. Backup appears corrupted. Aborting!").ConfigureAwait(false);
        }
        await context.OutAsync(Ocp4Cluster.SnapshotStatusJson(snapshot)).ConfigureAwait(false);

        var onlyEtcd = model.Release.RestoreStopsOnlyEtcd;
        files.CreateDirectory(StoppedDirectory);
        var stop = onlyEtcd ? ["etcd-pod.yaml"] : AuxiliaryPods.Append("etcd-pod.yaml").ToArray();
        foreach (var pod in stop)
        {
            await context.OutAsync($"...stopping {pod}").ConfigureAwait(false);
            model.Change(() =>
            {
                var source = $"{StaticPods.ManifestDirectory}/{pod}";
                if (!files.FileExists(source)) return;
                files.Delete($"{StoppedDirectory}/{pod}");
                files.Move(source, $"{StoppedDirectory}/{pod}");
            });
        }
        string[] containers = onlyEtcd
            ? model.Release.Minor >= 18 ? ["etcd", "etcdctl", "etcd-metrics", "etcd-readyz", "etcd-rev"] : ["etcd", "etcdctl", "etcd-metrics", "etcd-readyz"]
            : ["etcd", "etcdctl", "etcd-metrics", "kube-controller-manager", "kube-apiserver", "kube-scheduler"];
        foreach (var container in containers)
        {
            await context.OutAsync($"Waiting for container {container} to stop").ConfigureAwait(false);
            while (model.Read(() => node.Runtime.Running.Any(c => c.Name == container)))
            {
                await context.Stdout.WriteAsync(".", context.CancellationToken).ConfigureAwait(false);
                await context.Clock.DelayAsync(TimeSpan.FromSeconds(1), context.CancellationToken).ConfigureAwait(false);
            }
            await context.OutAsync("complete").ConfigureAwait(false);
        }

        var moved = model.Change(() =>
        {
            var lines = new List<OutLine>();
            files.CreateDirectory(Ocp4Cluster.EtcdBackupDirectory);
            if (files.DirectoryExists(Ocp4Cluster.EtcdDataDirectory + "/member"))
            {
                if (files.DirectoryExists(Ocp4Cluster.EtcdBackupDirectory + "/member"))
                {
                    lines.Add(OutLine.Out($"removing previous backup {Ocp4Cluster.EtcdBackupDirectory}/member"));
                    files.Delete(Ocp4Cluster.EtcdBackupDirectory + "/member");
                }
                lines.Add(OutLine.Out($"Moving etcd data-dir {Ocp4Cluster.EtcdDataDirectory}/member to {Ocp4Cluster.EtcdBackupDirectory}"));
                files.Move(Ocp4Cluster.EtcdDataDirectory + "/member", Ocp4Cluster.EtcdBackupDirectory + "/member");
            }
            return lines;
        });
        await CommandOutput.PrintAsync(context, 0, moved).ConfigureAwait(false);

        var archive = backupFile.Length > 0 && files.TryReadFile(context.ResolvePath(backupFile), out var archiveText) ? BackupArchive.Parse(archiveText) : null;
        if (backupFile.Length == 0)
        {
            await context.ErrAsync("tar: : Cannot open: No such file or directory").ConfigureAwait(false);
            await context.ErrAsync("tar: Error is not recoverable: exiting now").ConfigureAwait(false);
            return 2;
        }
        if (archive is null)
        {
            await context.ErrAsync("tar: This does not look like a tar archive").ConfigureAwait(false);
            await context.ErrAsync("tar: Exiting with failure status due to previous errors").ConfigureAwait(false);
            return 2;
        }
        model.Change(() =>
        {
            foreach (var (path, content) in archive.Entries.Where(e => e.Key.StartsWith("static-pod-resources/", StringComparison.Ordinal)))
                files.WriteFile("/etc/kubernetes/" + path, content);
            files.WriteFile(Ocp4Cluster.EtcdBackupDirectory + "/snapshot.db", snapshotText);
        });

        if (onlyEtcd)
        {
            files.Delete(Ocp4Cluster.EtcdDataDirectory + "/revision.json");
            if ((files.List(Ocp4Cluster.EtcdDataDirectory) ?? []).Count > 0)
                return await SayAsync(context, 1, $"folder {Ocp4Cluster.EtcdDataDirectory} is not empty, please review and remove all files in it").ConfigureAwait(false);
        }
        await context.OutAsync("starting restore-etcd static pod").ConfigureAwait(false);
        if (!files.TryReadFile(RestorePodYaml, out var restorePod))
        {
            await context.ErrAsync($"cp: cannot stat '{RestorePodYaml}': No such file or directory").ConfigureAwait(false);
            return 1;
        }
        model.Change(() => files.WriteFile($"{StaticPods.ManifestDirectory}/etcd-pod.yaml", restorePod));

        if (onlyEtcd) return 0;
        foreach (var pod in AuxiliaryPods)
        {
            var entry = archive.Entries.Keys.FirstOrDefault(k => k.EndsWith("/" + pod, StringComparison.Ordinal) && ResourceEntry().IsMatch(k));
            if (entry is null) return await SayAsync(context, 1, $"{pod} does not exist in {backupFile}").ConfigureAwait(false);
            await context.OutAsync($"starting {pod}").ConfigureAwait(false);
            await context.OutAsync(entry).ConfigureAwait(false); // tar -xv lists what it extracts
            model.Change(() => files.WriteFile($"{StaticPods.ManifestDirectory}/{pod}", archive.Entries[entry]));
        }
        return 0;
    }

    [GeneratedRegex(@"^static-pod-resources/[a-z-]+-pod-\d+/[a-z-]+-pod\.yaml$")]
    private static partial Regex ResourceEntry();

    private static async Task<int> SayAsync(LabCommandContext context, int code, string line)
    {
        await context.OutAsync(line).ConfigureAwait(false);
        return code;
    }

    /// <summary><c>ls -vd "$dir"/prefix*suffix | tail -1</c>: the newest by version sort, "" (and ls's complaint) when none.</summary>
    private static async Task<string> LatestAsync(LabCommandContext context, string directory, string prefix, string suffix)
    {
        var names = (context.Host.FileSystem.List(context.ResolvePath(directory)) ?? [])
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(suffix, StringComparison.Ordinal))
            .Order(NaturalOrder.Instance)
            .ToList();
        if (names.Count == 0)
        {
            await context.ErrAsync($"ls: cannot access '{directory.TrimEnd('/')}/{prefix}*{suffix}': No such file or directory").ConfigureAwait(false);
            return "";
        }
        return directory.TrimEnd('/') + "/" + names[^1];
    }
}
