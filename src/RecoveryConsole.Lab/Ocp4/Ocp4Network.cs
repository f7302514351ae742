using RecoveryConsole.Orchestration.Clusters;

namespace RecoveryConsole.Lab.Ocp4;

/// <summary>
/// The on-premises networking of the lab cluster: keepalived moves the API and ingress virtual IPs between hosts
/// (fact <c>keepalived</c>). Addresses are from TEST-NET-1 like the hosts'.
/// </summary>
internal sealed class Ocp4Network(ClusterInfo info)
{
    public bool KeepalivedEnabled { get; } = info.Facts.TryGetValue("keepalived", out var k) && k == "true";
    public string ApiVip { get; } = info.Facts.TryGetValue("apiVip", out var a) ? a : "192.0.2.5";
    public string IngressVip { get; } = info.Facts.TryGetValue("ingressVip", out var i) ? i : "192.0.2.6";
    public string Device => "br-ex";
    public int PrefixLength => 24;
    public bool OvnKubernetes { get; } = !info.Facts.TryGetValue("networkType", out var t) || t == "OVNKubernetes";
}
