namespace RecoveryConsole.Lab.Ocp4;

// A reboot (systemctl reboot, shutdown -r now): the host goes down at once (sshd stops with the system), stays
// unreachable while it shuts down and boots, then comes up as a powered-on host does: units, the kubelet, the static
// pods of /etc/kubernetes/manifests; etcd rejoins with its data directory; the node is NotReady meanwhile.
public sealed partial class Ocp4Cluster
{
    /// <summary>From the reboot command to sshd answering again: shutdown, firmware and an RHCOS boot.</summary>
    internal static readonly TimeSpan RebootTime = TimeSpan.FromSeconds(90);

    /// <summary>Takes <paramref name="node"/> down now and brings it back after <see cref="RebootTime"/> on the lab clock.</summary>
    internal void Reboot(Ocp4Node node)
    {
        foreach (var unit in new[] { "kubelet", "crio" }) Journal(node, unit, $"Stopping {Commands.SystemctlCommand.Description(unit)}...");
        node.Host.Reachable = false; // the next reconcile powers everything off
        var generation = ++node.RebootGeneration;
        At(RebootTime, "boot " + node.Name, _ =>
        {
            // Someone pulled the plug meanwhile (LoseHost): the host does not come back by itself.
            if (node.RebootGeneration == generation && node.RebootPending) node.Host.Reachable = true;
            if (node.RebootGeneration == generation) node.RebootPending = false;
        });
        node.RebootPending = true;
    }

    /// <summary>Before a connection to a rebooting host, catch up: its boot may be over.</summary>
    private void OnConnecting(Ocp4Node node)
    {
        if (node.RebootPending) Sync();
    }
}
