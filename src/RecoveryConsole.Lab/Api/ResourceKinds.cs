namespace RecoveryConsole.Lab.Api;

/// <summary>What the lab knows about resource types: their kind (for defaults and List kinds) and whether they have a status subresource.</summary>
internal static class ResourceKinds
{
    private static readonly Dictionary<string, string> Kinds = new(StringComparer.Ordinal)
    {
        ["namespaces"] = "Namespace",
        ["nodes"] = "Node",
        ["pods"] = "Pod",
        ["configmaps"] = "ConfigMap",
        ["secrets"] = "Secret",
        ["services"] = "Service",
        ["events"] = "Event",
        ["persistentvolumeclaims"] = "PersistentVolumeClaim",
        ["deployments"] = "Deployment",
        ["statefulsets"] = "StatefulSet",
        ["certificatesigningrequests"] = "CertificateSigningRequest",
        ["etcds"] = "Etcd",
        ["kubeapiservers"] = "KubeAPIServer",
        ["kubecontrollermanagers"] = "KubeControllerManager",
        ["kubeschedulers"] = "KubeScheduler",
        ["clusteroperators"] = "ClusterOperator",
        ["clusterversions"] = "ClusterVersion",
        ["machineconfigpools"] = "MachineConfigPool",
        ["machines"] = "Machine",
        ["hostedclusters"] = "HostedCluster",
        ["nodepools"] = "NodePool",
    };

    // Types whose whole object is written by PUT/PATCH; for all others status only changes through /status.
    private static readonly HashSet<string> WithoutStatus = new(StringComparer.Ordinal)
    {
        "configmaps", "secrets", "serviceaccounts", "events", "endpoints",
        "roles", "rolebindings", "clusterroles", "clusterrolebindings",
    };

    // Groups served by kube-apiserver itself: they accept strategic merge patch, custom resources do not.
    private static readonly HashSet<string> BuiltInGroups = new(StringComparer.Ordinal)
    {
        "", "apps", "batch", "policy", "autoscaling", "certificates.k8s.io", "coordination.k8s.io",
        "networking.k8s.io", "rbac.authorization.k8s.io", "storage.k8s.io",
    };

    public static string? KindOf(string resource) => Kinds.GetValueOrDefault(resource);

    public static bool HasStatusSubresource(string resource) => !WithoutStatus.Contains(resource);

    public static bool IsBuiltIn(ResourcePath path) => BuiltInGroups.Contains(path.Group);
}
