using System.Text.Json.Nodes;
using RecoveryConsole.Lab.Api;
using RecoveryConsole.Lab.Ocp4.Runtime;

namespace RecoveryConsole.Lab.Ocp4;

// What the cluster writes into its own API while the API serves: kubelets (CSRs, nodes, pod status, mirror pods),
// operators, the machine controllers, the OVN controllers and the ClusterOperators.
public sealed partial class Ocp4Cluster
{
    private const string MirrorAnnotation = "kubernetes.io/config.mirror";
    private static readonly string[] StaticNamespaces =
        ["openshift-etcd", "openshift-kube-apiserver", "openshift-kube-controller-manager", "openshift-kube-scheduler", StaticPods.KeepalivedNamespace];

    private bool SyncApi()
    {
        var changed = SyncKubelets();
        changed |= SyncNodeStatus();
        var trusted = TrustedSigners();
        foreach (var node in _nodes)
        {
            changed |= KubeletPosting(node, trusted) ? SyncPodStatus(node) : MarkPodsNotReady(node);
        }
        changed |= SyncOperators();
        changed |= SyncMachines();
        changed |= SyncOvnControllers();
        changed |= SyncClusterOperators();
        return changed;
    }

    /// <summary>The kubelet's status manager: mirror pods for static pods, status for the pods bound to the node.</summary>
    private bool SyncPodStatus(Ocp4Node node)
    {
        var changed = false;
        JsonObject? nodeObject = null;
        foreach (var pod in node.Runtime.Pods.Where(p => !p.StopRequested))
        {
            if (pod.Kind is PodKind.Guard or PodKind.Operator) continue;
            var path = $"/api/v1/namespaces/{pod.Namespace}/pods/{pod.Name}";
            var current = ApiPods().GetValueOrDefault((pod.Namespace, pod.Name));
            var signature = Signature(node, pod, current is not null);
            var version = (string?)current?["metadata"]?["resourceVersion"];
            if (pod.LastPosted is { } posted && posted.Signature == signature && posted.ResourceVersion == version) continue;
            nodeObject ??= Api.Get($"/api/v1/nodes/{node.Name}");
            var wrote = PostPod(node, pod, current, nodeObject, path);
            changed |= wrote;
            var stored = wrote ? Api.Get(path) : current;
            pod.LastPosted = (signature, (string?)stored?["metadata"]?["resourceVersion"]);
        }
        return changed | RemoveStaleMirrorPods(node);
    }

    /// <summary>The pod's state as far as its API status shows it; unchanged means nothing to post.</summary>
    private string Signature(Ocp4Node node, RuntimePod pod, bool exists) =>
        string.Join('|', pod.Containers.Select(c => $"{c.Id}:{(int)c.State}:{c.Attempt}:{c.IsReady(Now)}:{IsCrashLooping(c)}:{c.ExitCode}"))
        + $"|{exists}|{pod.Exited.Count}|{node.Name}";

    private bool PostPod(Ocp4Node node, RuntimePod pod, JsonObject? current, JsonObject? nodeObject, string path)
    {
        {
            if (pod.IsStatic)
            {
                var wanted = MirrorPod(node, pod, nodeObject);
                if (current is not null && JsonNode.DeepEquals(current["status"], wanted["status"]) && JsonNode.DeepEquals(current["metadata"]?["labels"], wanted["metadata"]?["labels"])
                    && (string?)current["metadata"]?["annotations"]?[MirrorAnnotation] == (string?)wanted["metadata"]?["annotations"]?[MirrorAnnotation])
                    return false;
                Api.Put(path, wanted);
                return true;
            }
            if (current is null) return false;
            var status = PodStatus(node, pod);
            if (JsonNode.DeepEquals(current["status"], status)) return false;
            current = (JsonObject)current.DeepClone();
            current["status"] = status;
            Api.Put(path, current);
            return true;
        }
    }

    /// <summary>Mirror pods whose static pod is gone from this node.</summary>
    private bool RemoveStaleMirrorPods(Ocp4Node node)
    {
        var changed = false;
        foreach (var ((ns, name), mirror) in ApiPods())
        {
            if ((string?)mirror["spec"]?["nodeName"] != node.Name || mirror["metadata"]?["annotations"]?[MirrorAnnotation] is null) continue;
            if (node.Runtime.Pods.Any(p => p.IsStatic && !p.StopRequested && p.Name == name && p.Namespace == ns)) continue;
            Api.Remove($"/api/v1/namespaces/{ns}/pods/{name}");
            changed = true;
        }
        return changed;
    }

    /// <summary>A node that stopped posting: the node lifecycle controller marks its pods not ready.</summary>
    private bool MarkPodsNotReady(Ocp4Node node)
    {
        var changed = false;
        foreach (var ((ns, name), cached) in ApiPods())
        {
            if ((string?)cached["spec"]?["nodeName"] != node.Name || cached["status"] is not JsonObject) continue;
            var ready = (cached["status"]!["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == "Ready");
            if ((string?)ready?["status"] == "False") continue;
            var pod = (JsonObject)cached.DeepClone();
            Conditions.Set((JsonObject)pod["status"]!, "Ready", "False", "NodeNotReady", "Node is not ready", Now);
            Api.Put($"/api/v1/namespaces/{ns}/pods/{name}", pod);
            changed = true;
        }
        return changed;
    }

    private JsonObject MirrorPod(Ocp4Node node, RuntimePod pod, JsonObject? nodeObject)
    {
        var labels = new JsonObject();
        foreach (var (key, value) in pod.Labels) labels[key] = value;
        var metadata = new JsonObject
        {
            ["name"] = pod.Name,
            ["namespace"] = pod.Namespace,
            ["uid"] = null,
            ["labels"] = labels,
            ["annotations"] = new JsonObject
            {
                ["kubernetes.io/config.source"] = "file",
                ["kubernetes.io/config.hash"] = pod.Uid,
                [MirrorAnnotation] = pod.Uid,
                ["target.workload.openshift.io/management"] = "{\"effect\": \"PreferredDuringScheduling\"}",
            },
        };
        metadata.Remove("uid");
        if (nodeObject?["metadata"]?["uid"] is { } nodeUid)
        {
            metadata["ownerReferences"] = new JsonArray(new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Node",
                ["name"] = node.Name,
                ["uid"] = nodeUid.DeepClone(),
                ["controller"] = true,
            });
        }
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = metadata,
            ["spec"] = new JsonObject
            {
                ["nodeName"] = node.Name,
                ["hostNetwork"] = true,
                ["priorityClassName"] = "system-node-critical",
                ["containers"] = new JsonArray(pod.Containers.Select(c => (JsonNode)new JsonObject { ["name"] = c.Name, ["image"] = c.ImageRef }).ToArray()),
            },
            ["status"] = PodStatus(node, pod),
        };
    }

    private JsonObject PodStatus(Ocp4Node node, RuntimePod pod)
    {
        var statuses = new JsonArray();
        foreach (var container in pod.Containers)
        {
            var previous = pod.Exited.LastOrDefault(c => c.Name == container.Name);
            var status = new JsonObject
            {
                ["name"] = container.Name,
                ["image"] = container.ImageRef,
                ["imageID"] = container.ImageRef,
                ["containerID"] = "cri-o://" + container.Id,
                ["ready"] = container.IsReady(Now),
                ["started"] = container.IsRunning,
                ["restartCount"] = container.Attempt,
                ["state"] = ContainerStateJson(container),
            };
            if (previous is not null) status["lastState"] = ContainerStateJson(previous);
            statuses.Add(status);
        }
        var allReady = pod.Containers.Count > 0 && pod.Containers.All(c => c.IsReady(Now));
        var phase = pod.Containers.All(c => c.State == ContainerState.Created) ? "Pending" : "Running";
        return new JsonObject
        {
            ["phase"] = phase,
            ["conditions"] = new JsonArray(
                new JsonObject { ["type"] = "Initialized", ["status"] = "True" },
                new JsonObject { ["type"] = "Ready", ["status"] = allReady ? "True" : "False" },
                new JsonObject { ["type"] = "ContainersReady", ["status"] = allReady ? "True" : "False" },
                new JsonObject { ["type"] = "PodScheduled", ["status"] = "True" }),
            ["hostIP"] = node.Address,
            ["podIP"] = node.Address,
            ["startTime"] = Conditions.Timestamp(pod.CreatedAt),
            ["containerStatuses"] = statuses,
        };
    }

    private JsonObject ContainerStateJson(RuntimeContainer container) => container.State switch
    {
        ContainerState.Running => new JsonObject { ["running"] = new JsonObject { ["startedAt"] = Conditions.Timestamp(container.StartedAt ?? container.CreatedAt) } },
        ContainerState.Created => new JsonObject { ["waiting"] = new JsonObject { ["reason"] = "ContainerCreating" } },
        _ when IsCrashLooping(container) => new JsonObject
        {
            ["waiting"] = new JsonObject
            {
                ["reason"] = "CrashLoopBackOff",
                ["message"] = $"back-off restarting failed container {container.Name} in pod {container.Pod.Name}_{container.Pod.Namespace}({container.Pod.Uid})",
            },
        },
        _ => new JsonObject
        {
            ["terminated"] = new JsonObject
            {
                ["exitCode"] = container.ExitCode,
                ["reason"] = container.Reason,
                ["startedAt"] = container.StartedAt is { } s ? Conditions.Timestamp(s) : null,
                ["finishedAt"] = container.FinishedAt is { } f ? Conditions.Timestamp(f) : null,
            },
        },
    };
}
