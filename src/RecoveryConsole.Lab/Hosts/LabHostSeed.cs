using RecoveryConsole.Lab.Api;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Lab.Hosts;

/// <summary>The files every lab host starts with: enough for hostname/os checks and listing the static pod manifests.</summary>
public static class LabHostSeed
{
    public static readonly IReadOnlyList<string> StaticPods = ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler"];

    public static void Populate(LabHost host, string openshiftVersion)
    {
        ArgumentNullException.ThrowIfNull(host);
        var files = host.FileSystem;
        files.WriteFile("/etc/hostname", host.Name + "\n");
        files.WriteFile("/etc/os-release",
            "NAME=\"Red Hat Enterprise Linux CoreOS\"\n" +
            $"VERSION=\"{openshiftVersion}\"\n" +
            "ID=\"rhcos\"\n" +
            "ID_LIKE=\"rhel fedora\"\n" +
            "OPENSHIFT_VERSION=\"" + string.Join('.', openshiftVersion.Split('.').Take(2)) + "\"\n");
        files.CreateDirectory(host.HomeDirectory);
        files.CreateDirectory("/tmp");
        if (!host.Roles.Contains(HostRoles.ControlPlane)) return;

        foreach (var pod in StaticPods)
        {
            files.WriteFile($"/etc/kubernetes/manifests/{pod}-pod.yaml",
                $"apiVersion: v1\nkind: Pod\nmetadata:\n  name: {pod}\n  namespace: openshift-{pod}\n  labels:\n    app: {pod}\n    revision: \"{LabApiSeed.InitialRevision}\"\n");
        }
        files.CreateDirectory("/var/lib/etcd/member");
    }
}
