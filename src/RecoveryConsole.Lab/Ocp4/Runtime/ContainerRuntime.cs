namespace RecoveryConsole.Lab.Ocp4.Runtime;

/// <summary>The CRI states crictl shows (Running, Exited, Created).</summary>
public enum ContainerState { Created, Running, Exited }

/// <summary>One container as CRI-O keeps it: id, state, times, exit code and its log.</summary>
internal sealed class RuntimeContainer
{
    public required string Id { get; init; }
    public required RuntimePod Pod { get; init; }
    public required ContainerSpec Spec { get; init; }
    public required string Image { get; init; }
    public required string ImageRef { get; init; }
    public int Attempt { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public ContainerState State { get; set; } = ContainerState.Created;
    public int ExitCode { get; set; }
    public string Reason { get; set; } = "";
    public List<string> Logs { get; } = [];

    /// <summary>SIGTERM was sent; the container exits when its grace period is over.</summary>
    public bool StopRequested { get; set; }

    /// <summary>What the process is doing in the simulation (for etcd: the member it runs as).</summary>
    public object? Process { get; set; }

    public string Name => Spec.Name;

    public bool IsRunning => State == ContainerState.Running;

    /// <summary>When the readiness probe first succeeds (start plus the scaled ready delay).</summary>
    public DateTimeOffset? ReadyAt { get; set; }

    public bool IsReady(DateTimeOffset now) => IsRunning && ReadyAt is { } ready && ready <= now;

    public string CriState => State switch
    {
        ContainerState.Running => "CONTAINER_RUNNING",
        ContainerState.Exited => "CONTAINER_EXITED",
        _ => "CONTAINER_CREATED",
    };
}

/// <summary>A pod sandbox with its containers; static pods remember the manifest they came from.</summary>
internal sealed class RuntimePod
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Namespace { get; init; }
    public required string Uid { get; init; }
    public required PodKind Kind { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public int Attempt { get; init; }
    public Dictionary<string, string> Labels { get; init; } = new(StringComparer.Ordinal);

    /// <summary>The manifest file in /etc/kubernetes/manifests a static pod was started from (null for other pods).</summary>
    public string? ManifestFile { get; init; }
    public int ManifestHash { get; init; }
    public long? Revision { get; init; }

    /// <summary>The restore generation of the cluster when the pod started (stale caches and databases after a restore).</summary>
    public int Epoch { get; set; }

    public bool StopRequested { get; set; }
    public List<RuntimeContainer> Containers { get; } = [];

    /// <summary>Containers that exited and were replaced by a restart (crictl ps -a shows the last one per name).</summary>
    public List<RuntimeContainer> Exited { get; } = [];

    public bool IsStatic => ManifestFile is not null;

    /// <summary>The sandbox is Ready until the pod was asked to stop and every container has exited.</summary>
    public bool SandboxReady => !(StopRequested && Containers.All(c => c.State == ContainerState.Exited));

    public bool AnyRunning => Containers.Any(c => c.IsRunning);

    public RuntimeContainer? Container(string name) => Containers.FirstOrDefault(c => c.Name == name);

    /// <summary>What the kubelet last wrote for this pod (its state signature and the API object's resourceVersion).</summary>
    public (string Signature, string? ResourceVersion)? LastPosted { get; set; }

    public IEnumerable<RuntimeContainer> AllContainers => Containers.Concat(Exited);
}

/// <summary>CRI-O on one host: the pods and containers <c>crictl</c> lists.</summary>
internal sealed class ContainerRuntime
{
    private const int KeptStoppedPods = 12;

    public List<RuntimePod> Pods { get; } = [];

    public IEnumerable<RuntimeContainer> Containers => Pods.SelectMany(p => p.AllContainers);

    public IEnumerable<RuntimeContainer> Running => Pods.SelectMany(p => p.Containers).Where(c => c.IsRunning);

    public RuntimeContainer? FindContainer(string idOrPrefix) =>
        Containers.Where(c => c.Id.StartsWith(idOrPrefix, StringComparison.Ordinal)).OrderByDescending(c => c.CreatedAt).FirstOrDefault();

    public RuntimePod? FindPod(string idOrPrefix) => Pods.FirstOrDefault(p => p.Id.StartsWith(idOrPrefix, StringComparison.Ordinal));

    /// <summary>Forgets old stopped sandboxes, as the kubelet's garbage collection does.</summary>
    public void CollectGarbage()
    {
        var stopped = Pods.Where(p => !p.SandboxReady).OrderBy(p => p.CreatedAt).ToList();
        for (var i = 0; i < stopped.Count - KeptStoppedPods; i++) Pods.Remove(stopped[i]);
    }
}
