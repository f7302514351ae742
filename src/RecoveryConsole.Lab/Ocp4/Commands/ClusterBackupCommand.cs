using RecoveryConsole.Lab.Shell;

namespace RecoveryConsole.Lab.Ocp4.Commands;

/// <summary>
/// /usr/local/bin/cluster-backup.sh [--force] DIR (OCP 4.x, cluster-etcd-operator): root only; static pod resources
/// of the running revisions and an etcd snapshot of this host's member into snapshot_&lt;date "+%F_%H%M%S"&gt;.db and
/// static_kuberesources_&lt;same&gt;.tar.gz; refuses while a control-plane operator is progressing unless --force
/// (then both names carry __POSSIBLY_DIRTY__).
/// </summary>
internal sealed class ClusterBackupCommand(Ocp4Cluster model) : ILabCommand
{
    public const string ScriptPath = "/usr/local/bin/cluster-backup.sh";

    public string Name => "cluster-backup.sh";

    public async Task<int> RunAsync(LabCommandContext context)
    {
        if (await ScriptFile.MissingAsync(context, ScriptPath).ConfigureAwait(false) is { } missing) return missing;
        if (!context.Privileged)
        {
            await context.OutAsync("This script must be run as root").ConfigureAwait(false);
            return 1;
        }
        var args = context.Args.ToList();
        var force = args.Count > 0 && args[0] == "--force";
        if (force) args.RemoveAt(0);
        if (args.Count == 0 || args[0].Length == 0 || context.Host.FileSystem.FileExists(context.ResolvePath(args[0])))
        {
            await context.OutAsync("Path to backup dir required: ./cluster-backup.sh [--force] <path-to-backup-dir>").ConfigureAwait(false);
            return 1;
        }
        var directory = context.ResolvePath(args[0]);
        var (code, lines) = model.Change(() => model.TakeBackup(model.NodeOf(context.Host), directory, force));
        // The script echoes the directory as given.
        var shown = lines.Select(l => l.Text.EndsWith("successfully saved to " + directory, StringComparison.Ordinal)
            ? l with { Text = "snapshot db and kube resources are successfully saved to " + args[0] }
            : l);
        return await CommandOutput.PrintAsync(context, code, shown).ConfigureAwait(false);
    }
}

/// <summary>The recovery scripts exist only where the etcd pod's init container copied them (control-plane hosts).</summary>
internal static class ScriptFile
{
    public static async Task<int?> MissingAsync(LabCommandContext context, string path)
    {
        if (context.Host.FileSystem.FileExists(path)) return null;
        if (context.Privileged)
        {
            await context.ErrAsync($"sudo: {context.Name}: command not found").ConfigureAwait(false);
            return 1;
        }
        await context.ErrAsync($"bash: {context.Name}: No such file or directory").ConfigureAwait(false);
        return 127;
    }
}
