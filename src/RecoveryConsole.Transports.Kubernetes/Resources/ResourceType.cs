namespace RecoveryConsole.Transports.Kubernetes;

/// <summary>
/// A resource type as the REST API addresses it: group, version, plural and scope. Builds the paths
/// (<c>/api/v1/namespaces/{ns}/pods/{name}</c>, <c>/apis/{group}/{version}/...</c>) so no caller concatenates them.
/// </summary>
public sealed record ResourceType(string Group, string Version, string Plural, bool Namespaced)
{
    public static readonly ResourceType Namespaces = new("", "v1", "namespaces", false);
    public static readonly ResourceType Nodes = new("", "v1", "nodes", false);
    public static readonly ResourceType Pods = new("", "v1", "pods", true);
    public static readonly ResourceType ConfigMaps = new("", "v1", "configmaps", true);
    public static readonly ResourceType Secrets = new("", "v1", "secrets", true);
    public static readonly ResourceType Services = new("", "v1", "services", true);
    public static readonly ResourceType PersistentVolumeClaims = new("", "v1", "persistentvolumeclaims", true);
    public static readonly ResourceType Deployments = new("apps", "v1", "deployments", true);
    public static readonly ResourceType StatefulSets = new("apps", "v1", "statefulsets", true);
    public static readonly ResourceType ReplicaSets = new("apps", "v1", "replicasets", true);
    public static readonly ResourceType CertificateSigningRequests = new("certificates.k8s.io", "v1", "certificatesigningrequests", false);
    public static readonly ResourceType Etcds = new("operator.openshift.io", "v1", "etcds", false);
    public static readonly ResourceType KubeApiServers = new("operator.openshift.io", "v1", "kubeapiservers", false);
    public static readonly ResourceType KubeControllerManagers = new("operator.openshift.io", "v1", "kubecontrollermanagers", false);
    public static readonly ResourceType KubeSchedulers = new("operator.openshift.io", "v1", "kubeschedulers", false);
    public static readonly ResourceType ClusterOperators = new("config.openshift.io", "v1", "clusteroperators", false);
    public static readonly ResourceType ClusterVersions = new("config.openshift.io", "v1", "clusterversions", false);
    public static readonly ResourceType MachineConfigPools = new("machineconfiguration.openshift.io", "v1", "machineconfigpools", false);
    public static readonly ResourceType Machines = new("machine.openshift.io", "v1beta1", "machines", true);
    public static readonly ResourceType HostedClusters = new("hypershift.openshift.io", "v1beta1", "hostedclusters", true);
    public static readonly ResourceType NodePools = new("hypershift.openshift.io", "v1beta1", "nodepools", true);

    /// <summary>"v1", "apps/v1": what objects of this type carry in apiVersion.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>The collection; for a namespaced type without namespace, the list across all namespaces.</summary>
    public string CollectionPath(string? ns)
    {
        var prefix = Group.Length == 0 ? "/api/" + Version : $"/apis/{Group}/{Version}";
        if (!Namespaced)
        {
            if (ns is not null) throw new ArgumentException($"{Plural} are cluster-scoped: give no namespace.", nameof(ns));
            return $"{prefix}/{Plural}";
        }
        return ns is null ? $"{prefix}/{Plural}" : $"{prefix}/namespaces/{Segment(ns, nameof(ns))}/{Plural}";
    }

    public string ObjectPath(string? ns, string name, string? subresource = null)
    {
        if (Namespaced && ns is null) throw new ArgumentException($"{Plural} are namespaced: give a namespace.", nameof(ns));
        var path = $"{CollectionPath(ns)}/{Segment(name, nameof(name))}";
        return subresource is null ? path : $"{path}/{Segment(subresource, nameof(subresource))}";
    }

    public override string ToString() => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    // Escaped, and never empty or a dot segment: a name must not climb out of its collection.
    private static string Segment(string value, string parameter)
    {
        if (string.IsNullOrEmpty(value) || value is "." or "..") throw new ArgumentException($"'{value}' is not a valid name.", parameter);
        return Uri.EscapeDataString(value);
    }
}
