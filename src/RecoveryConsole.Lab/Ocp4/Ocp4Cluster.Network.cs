namespace RecoveryConsole.Lab.Ocp4;

// keepalived: the API VIP lives on a control-plane host whose keepalived runs, the ingress VIP on a worker.
public sealed partial class Ocp4Cluster
{
    private bool ReconcileVips()
    {
        if (!Network.KeepalivedEnabled) return false;
        var workers = _nodes.Where(n => n.IsWorker && !n.IsControlPlane).ToList();
        return PlaceVip(Network.ApiVip, ControlPlane.ToList()) | PlaceVip(Network.IngressVip, workers.Count > 0 ? workers : _nodes);
    }

    /// <summary>
    /// VRRP: when no host with a running keepalived holds the address, the first eligible host takes it. An address
    /// left on a host whose keepalived stopped uncleanly stays there (the document removes it with ip address del).
    /// </summary>
    private static bool PlaceVip(string vip, IReadOnlyList<Ocp4Node> candidates)
    {
        var eligible = candidates.Where(n => n.IsUp && n.RunningContainer(PodKind.Keepalived, "keepalived") is not null).ToList();
        if (eligible.Count == 0 || eligible.Any(n => n.Vips.Contains(vip))) return false;
        eligible[0].Vips.Add(vip);
        return true;
    }

    /// <summary>Up hosts that have a VIP configured (more than one is an address conflict).</summary>
    internal IReadOnlyList<Ocp4Node> VipHolders(string vip) => _nodes.Where(n => n.IsUp && n.Vips.Contains(vip)).ToList();
}
