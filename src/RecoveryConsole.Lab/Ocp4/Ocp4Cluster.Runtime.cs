using System.Globalization;
using RecoveryConsole.Lab.Ocp4.Runtime;

namespace RecoveryConsole.Lab.Ocp4;

// Hosts powering on and off, CRI-O's pods and containers, and the kubelet keeping static pods in line with
// /etc/kubernetes/manifests (a manifest moved out stops its pod after the containers' grace periods).
public sealed partial class Ocp4Cluster
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);
    private readonly HashSet<RuntimeContainer> _restartPending = [];

    private bool ReconcilePower()
    {
        var changed = false;
        foreach (var node in _nodes)
        {
            if (node.IsUp == node.WasUp) continue;
            node.WasUp = node.IsUp;
            if (node.IsUp) Boot(node, settledFor: null);
            else PowerOff(node);
            changed = true;
        }
        return changed;
    }

    /// <summary>The host dies: every process with it (nothing is shut down cleanly).</summary>
    internal void PowerOff(Ocp4Node node)
    {
        foreach (var pod in node.Runtime.Pods)
        {
            pod.StopRequested = true;
            foreach (var container in pod.Containers.Where(c => c.State != ContainerState.Exited).ToList())
                Exit(node, container, 255, "Unknown");
        }
        foreach (var unit in node.Units.Values)
        {
            unit.Active = false;
            unit.Since = Now;
        }
        node.Vips.Clear();
        node.Kubelet.Reset();
    }

    /// <summary>
    /// The host starts: units come up, CRI-O starts empty, the kubelet starts every static pod from its manifests.
    /// <paramref name="settledFor"/> makes everything already run for that long (the seed's healthy cluster).
    /// </summary>
    internal void Boot(Ocp4Node node, TimeSpan? settledFor)
    {
        node.WasUp = true;
        node.Runtime.Pods.Clear();
        node.Vips.Clear();
        var since = settledFor is { } age ? Now - age : Now;
        node.BootedAt = since;
        foreach (var unit in node.Units.Values)
        {
            unit.Active = true;
            unit.Since = since;
            unit.MainPid = 1000 + Math.Abs(LabIds.StableHash(node.Name + unit.Name + since.Ticks)) % 60000;
        }
        StartKubelet(node, since);
        SyncStaticPods(node, settledFor);
        SyncWorkloads(node, settledFor);
    }

    internal static string PodFullName(ParsedManifest manifest, Ocp4Node node) => $"{manifest.PodName}-{node.Name}";

    /// <summary>The kubelet's static pod loop: one pod per manifest; a pod whose manifest left or changed is stopped.</summary>
    private bool SyncStaticPods(Ocp4Node node) => SyncStaticPods(node, settledFor: null);

    private bool SyncStaticPods(Ocp4Node node, TimeSpan? settledFor)
    {
        var files = node.Host.FileSystem;
        var manifests = new List<ParsedManifest>();
        foreach (var name in files.List(StaticPods.ManifestDirectory) ?? [])
        {
            var path = StaticPods.ManifestDirectory + "/" + name;
            if (name.StartsWith('.') || !files.TryReadFile(path, out var text)) continue;
            if (ParsedManifest.Parse(name, text) is { } manifest) manifests.Add(manifest);
        }

        var changed = false;
        foreach (var pod in node.Runtime.Pods.Where(p => p.IsStatic && !p.StopRequested).ToList())
        {
            if (manifests.Any(m => m.FileName == pod.ManifestFile && m.ContentHash == pod.ManifestHash)) continue;
            StopPod(node, pod);
            changed = true;
        }
        foreach (var manifest in manifests)
        {
            var fullName = PodFullName(manifest, node);
            if (node.Runtime.Pods.Any(p => p.IsStatic && !p.StopRequested && p.ManifestFile == manifest.FileName && p.ManifestHash == manifest.ContentHash))
                continue;
            // The kubelet starts the new pod only when the old one with the same name has terminated.
            if (node.Runtime.Pods.Any(p => p.Name == fullName && p.Namespace == manifest.Namespace && p.AnyRunning)) continue;
            StartPod(node, fullName, manifest.Namespace, manifest.Kind, manifest.Labels, manifest.Containers, settledFor, manifest);
            changed = true;
        }
        changed |= RestartExited(node);
        return changed;
    }

    /// <summary>Exited containers of pods that should run get restarted with back-off (CrashLoopBackOff).</summary>
    private bool RestartExited(Ocp4Node node)
    {
        var changed = false;
        foreach (var pod in node.Runtime.Pods.Where(p => !p.StopRequested))
        {
            foreach (var container in pod.Containers.Where(c => c.State == ContainerState.Exited && !c.StopRequested && !_restartPending.Contains(c)).ToList())
            {
                ScheduleRestart(node, container);
                changed = true;
            }
        }
        return changed;
    }

    internal RuntimePod StartPod(Ocp4Node node, string name, string ns, PodKind kind, IReadOnlyDictionary<string, string> labels,
        IReadOnlyList<string> declaredContainers, TimeSpan? settledFor, ParsedManifest? manifest = null, int? epoch = null)
    {
        var created = settledFor is { } age ? Now - age : Now;
        var pod = new RuntimePod
        {
            Id = Ids.Hex(64),
            Name = name,
            Namespace = ns,
            Uid = manifest is not null ? LabIds.Digest(name + manifest.ContentHash.ToString(CultureInfo.InvariantCulture))[..32] : Ids.NextGuid().ToString(),
            Kind = kind,
            CreatedAt = created,
            Labels = new Dictionary<string, string>(labels, StringComparer.Ordinal),
            ManifestFile = manifest?.FileName,
            ManifestHash = manifest?.ContentHash ?? 0,
            Revision = manifest?.Revision,
            Epoch = epoch ?? RestoreEpoch,
        };
        var specs = StaticPods.Containers(kind, Release, declaredContainers);
        if (kind != PodKind.Generic && declaredContainers.Count > 0) specs = specs.Where(s => declaredContainers.Contains(s.Name)).ToList();
        node.Runtime.Pods.Add(pod);
        foreach (var spec in specs) CreateContainer(node, pod, spec, 0, settledFor);
        OnPodCreated(node, pod);
        node.Runtime.CollectGarbage();
        return pod;
    }

    private RuntimeContainer CreateContainer(Ocp4Node node, RuntimePod pod, ContainerSpec spec, int attempt, TimeSpan? settledFor)
    {
        var component = ComponentOf(pod.Kind, spec.Name);
        var container = new RuntimeContainer
        {
            Id = Ids.Hex(64),
            Pod = pod,
            Spec = spec,
            Image = StaticPods.Image(component, Release),
            ImageRef = StaticPods.ImageRef(component, Release),
            Attempt = attempt,
            CreatedAt = settledFor is { } age ? Now - age : Now,
        };
        pod.Containers.Add(container);
        if (settledFor is not null) StartContainer(node, container, container.CreatedAt + spec.StartDelay);
        else At(spec.StartDelay, "start " + spec.Name, _ => StartContainer(node, container, Now));
        return container;
    }

    private static string ComponentOf(PodKind kind, string container) => kind switch
    {
        PodKind.Etcd or PodKind.RestoreEtcd => "etcd",
        PodKind.KubeApiServer => container == "kube-apiserver" ? "hyperkube" : "cluster-kube-apiserver-operator",
        PodKind.KubeControllerManager => container == "cluster-policy-controller" ? "cluster-policy-controller" : "hyperkube",
        PodKind.KubeScheduler => "hyperkube",
        PodKind.Keepalived => container == "keepalived" ? "keepalived-ipfailover" : "baremetal-runtimecfg",
        PodKind.OvnkubeNode or PodKind.OvnkubeControlPlane => container.StartsWith("kube-rbac-proxy", StringComparison.Ordinal) ? "kube-rbac-proxy" : "ovn-kubernetes",
        _ => container,
    };

    private void StartContainer(Ocp4Node node, RuntimeContainer container, DateTimeOffset startedAt)
    {
        if (container.State != ContainerState.Created || container.StopRequested || !node.IsUp) return;
        container.State = ContainerState.Running;
        container.StartedAt = startedAt;
        container.ReadyAt = startedAt + Clock.Scale(container.Spec.ReadyDelay);
        OnContainerStarted(node, container);
    }

    internal void StopPod(Ocp4Node node, RuntimePod pod)
    {
        pod.StopRequested = true;
        foreach (var container in pod.Containers.ToList()) StopContainer(node, container);
    }

    /// <summary>SIGTERM: the container exits when its grace period is over (etcdctl ignores it and is killed).</summary>
    internal void StopContainer(Ocp4Node node, RuntimeContainer container)
    {
        if (container.State == ContainerState.Exited || container.StopRequested) return;
        container.StopRequested = true;
        if (container.State == ContainerState.Created)
        {
            Exit(node, container, 0, "Completed");
            return;
        }
        var killed = container.Name == "etcdctl";
        At(container.Spec.StopGrace, "stop " + container.Name, _ => Exit(node, container, killed ? 137 : 0, killed ? "Error" : "Completed"));
    }

    /// <summary>The process failed: the container exits after <paramref name="after"/> with the lines it logged.</summary>
    internal void Crash(Ocp4Node node, RuntimeContainer container, TimeSpan after, params string[] logs)
    {
        container.Logs.AddRange(logs);
        At(after, "crash " + container.Name, _ => Exit(node, container, 1, "Error"));
    }

    internal void Exit(Ocp4Node node, RuntimeContainer container, int code, string reason)
    {
        if (container.State == ContainerState.Exited) return;
        container.State = ContainerState.Exited;
        container.FinishedAt = Now;
        container.ExitCode = code;
        container.Reason = reason;
        OnContainerExited(node, container);
        if (!container.StopRequested && !container.Pod.StopRequested && node.KubeletActive) ScheduleRestart(node, container);
    }

    private void ScheduleRestart(Ocp4Node node, RuntimeContainer container)
    {
        if (!_restartPending.Add(container)) return;
        var backoff = TimeSpan.FromSeconds(10 * Math.Pow(2, Math.Min(container.Attempt, 5)));
        if (backoff > MaxBackoff) backoff = MaxBackoff;
        At(backoff, "restart " + container.Name, _ =>
        {
            _restartPending.Remove(container);
            var pod = container.Pod;
            if (pod.StopRequested || !node.KubeletActive || !pod.Containers.Contains(container) || container.State != ContainerState.Exited) return;
            pod.Containers.Remove(container);
            pod.Exited.RemoveAll(c => c.Name == container.Name);
            pod.Exited.Add(container);
            var replacement = CreateContainer(node, pod, container.Spec, container.Attempt + 1, null);
            pod.Containers.Remove(replacement);
            pod.Containers.Insert(Math.Min(pod.Containers.Count, IndexOfSpec(pod, container.Spec)), replacement);
        });
    }

    private int IndexOfSpec(RuntimePod pod, ContainerSpec spec)
    {
        var order = StaticPods.Containers(pod.Kind, Release, pod.Containers.Select(c => c.Name).ToList()).Select(s => s.Name).ToList();
        var index = order.IndexOf(spec.Name);
        return index < 0 ? pod.Containers.Count : index;
    }

    /// <summary>Back-off state as the kubelet reports it: a container that keeps exiting is in CrashLoopBackOff.</summary>
    internal static bool IsCrashLooping(RuntimeContainer container) =>
        container.State == ContainerState.Exited && container.ExitCode != 0 && !container.StopRequested && !container.Pod.StopRequested;

    private void OnContainerStarted(Ocp4Node node, RuntimeContainer container)
    {
        switch (container.Pod.Kind, container.Name)
        {
            case (PodKind.Etcd, "etcd"):
                StartEtcdProcess(node, container);
                break;
            case (PodKind.RestoreEtcd, "etcd"):
                StartRestoreProcess(node, container);
                break;
            case (PodKind.KubeApiServer, "kube-apiserver"):
                container.Logs.Add($"I0101 00:00:00.000000       1 server.go:148] Version: {Release.KubeletVersion}");
                break;
        }
    }

    private void OnContainerExited(Ocp4Node node, RuntimeContainer container)
    {
        if (container.Process is Etcd.EtcdBinding) container.Process = null;
        _ = node;
    }

    private void OnPodCreated(Ocp4Node node, RuntimePod pod)
    {
        if (pod.Kind == PodKind.OvnkubeNode) OnOvnkubeNodeCreated(node, pod);
    }
}
