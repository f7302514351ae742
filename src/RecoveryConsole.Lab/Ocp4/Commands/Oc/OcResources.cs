using System.Globalization;

namespace RecoveryConsole.Lab.Ocp4.Commands.Oc;

/// <summary>A resource type as oc's discovery knows it: REST coordinates and the names it answers to.</summary>
internal sealed record OcResource(string Group, string Version, string Plural, string Kind, bool Namespaced)
{
    /// <summary>"etcd.operator.openshift.io", "node": how oc names the type in "TYPE/NAME patched".</summary>
    public string Qualified => Group.Length == 0 ? Kind.ToLowerInvariant() : $"{Kind.ToLowerInvariant()}.{Group}";

    public string Collection(string? ns) =>
        (Group.Length == 0 ? $"/api/{Version}" : $"/apis/{Group}/{Version}") + (Namespaced && ns is not null ? $"/namespaces/{ns}" : "") + "/" + Plural;
}

internal static class OcResources
{
    private static readonly (OcResource Resource, string[] Names)[] Known =
    [
        (new("operator.openshift.io", "v1", "etcds", "Etcd", false), ["etcd"]),
        (new("operator.openshift.io", "v1", "kubeapiservers", "KubeAPIServer", false), ["kubeapiserver"]),
        (new("operator.openshift.io", "v1", "kubecontrollermanagers", "KubeControllerManager", false), ["kubecontrollermanager"]),
        (new("operator.openshift.io", "v1", "kubeschedulers", "KubeScheduler", false), ["kubescheduler"]),
        (new("config.openshift.io", "v1", "clusteroperators", "ClusterOperator", false), ["clusteroperator", "co"]),
        (new("config.openshift.io", "v1", "clusterversions", "ClusterVersion", false), ["clusterversion"]),
        (new("config.openshift.io", "v1", "proxies", "Proxy", false), ["proxy"]),
        (new("", "v1", "nodes", "Node", false), ["node", "no"]),
        (new("", "v1", "pods", "Pod", true), ["pod", "po"]),
        (new("", "v1", "namespaces", "Namespace", false), ["namespace", "ns"]),
        (new("certificates.k8s.io", "v1", "certificatesigningrequests", "CertificateSigningRequest", false), ["certificatesigningrequest", "csr"]),
        (new("machine.openshift.io", "v1beta1", "machines", "Machine", true), ["machine"]),
    ];

    /// <summary>Resolves "etcd", "etcds", "etcd.operator.openshift.io", "co" ... (case-insensitive, as oc does).</summary>
    public static OcResource? Find(string type)
    {
        var name = type.ToLowerInvariant();
        foreach (var (resource, names) in Known)
        {
            if (name == resource.Plural || names.Contains(name) || name == $"{resource.Plural}.{resource.Group}" || name == resource.Qualified) return resource;
        }
        return null;
    }

    /// <summary>k8s.io/apimachinery duration.HumanDuration, as the AGE column shows it.</summary>
    public static string Age(TimeSpan d)
    {
        static string I(double v) => ((long)v).ToString(CultureInfo.InvariantCulture);
        if (d < TimeSpan.Zero) d = TimeSpan.Zero;
        if (d.TotalSeconds < 60 * 2) return I(d.TotalSeconds) + "s";
        var minutes = (long)d.TotalMinutes;
        if (minutes < 10)
        {
            var s = (long)d.TotalSeconds % 60;
            return s == 0 ? $"{minutes}m" : $"{minutes}m{s}s";
        }
        if (minutes < 60 * 3) return $"{minutes}m";
        var hours = (long)d.TotalHours;
        if (hours < 8) return minutes % 60 == 0 ? $"{hours}h" : $"{hours}h{minutes % 60}m";
        if (hours < 48) return $"{hours}h";
        if (hours < 24 * 8) return hours % 24 == 0 ? $"{hours / 24}d" : $"{hours / 24}d{hours % 24}h";
        if (hours < 24 * 365 * 2) return $"{hours / 24}d";
        if (hours < 24 * 365 * 8) return (hours / 24) % 365 == 0 ? $"{hours / 24 / 365}y" : $"{hours / 24 / 365}y{(hours / 24) % 365}d";
        return $"{hours / 24 / 365}y";
    }
}
