using System.Text.Json.Nodes;
using RecoveryConsole.Lab;
using RecoveryConsole.Lab.Api;
using RecoveryConsole.Lab.ApiServer;
using RecoveryConsole.Lab.Clusters;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Transports.Kubernetes.Tests.Support;

/// <summary>
/// The demo lab cluster served over HTTPS by <see cref="LabApiServer"/>, and real clients for it. Each test gets its own
/// server (own CA, own port, own state). Client retry and reconnect waits run on a <see cref="RecordingTimeProvider"/>:
/// they are recorded, not slept.
/// </summary>
internal sealed class LabHarness : IAsyncDisposable
{
    /// <summary>A namespace of the tests' own: whatever the lab's cluster model seeds elsewhere cannot collide with it.</summary>
    public const string Namespace = "rc-tests";

    private readonly List<IDisposable> _owned = [];

    private LabHarness(LabCluster cluster, LabApiServer server, string folder)
    {
        Cluster = cluster;
        Server = server;
        Folder = folder;
    }

    public LabCluster Cluster { get; }
    public LabApiServer Server { get; }
    public LabKubernetesApi Api => Cluster.Api;
    public LabApiFaults Faults => Server.Faults;
    public RecordingTimeProvider Waits { get; } = new();

    /// <summary>A temporary folder for kubeconfigs and copied files, removed at the end.</summary>
    public string Folder { get; }

    /// <summary>The lab's ready-made exec hook: the lab shell of the pod's node.</summary>
    public LabExecHandler NodeShell { get; private set; } = null!;

    public static async Task<LabHarness> StartAsync(LabApiServerOptions? options = null, double timeScale = 0, TimeSpan? rolloutStep = null)
    {
        var cluster = new LabCluster(
            LabClusterCatalog.DemoOpenShift(),
            new LabOptions { TimeScale = timeScale, RolloutStepDelay = rolloutStep ?? TimeSpan.FromSeconds(20) },
            TimeProvider.System);
        cluster.Api.Put($"/api/v1/namespaces/{Namespace}", new JsonObject { ["status"] = new JsonObject { ["phase"] = "Active" } });
        var server = await LabApiServer.StartAsync(cluster, options);
        var folder = Path.Combine(Path.GetTempPath(), "rc-k8s-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(folder);
        return new LabHarness(cluster, server, folder) { NodeShell = LabExecHandlers.NodeShell(cluster.Transport, cluster.Info.FindHost) };
    }

    public KubernetesClientOptions Options(RetryOptions? retry = null) => new()
    {
        TimeProvider = Waits,
        Retry = retry ?? new RetryOptions(),
        RequestTimeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>A client with a kubeconfig the server wrote for <paramref name="user"/> (system:admin in system:masters by default).</summary>
    public KubernetesClient Client(KubernetesClientOptions? options = null, string user = "system:admin", IReadOnlyList<string>? groups = null) =>
        Own(KubernetesClient.FromKubeconfigText(Server.CreateKubeconfig(user, groups), options: options ?? Options()));

    public KubernetesClient ClientFromText(string kubeconfig, KubernetesClientOptions? options = null) =>
        Own(KubernetesClient.FromKubeconfigText(kubeconfig, options: options ?? Options()));

    public T Own<T>(T disposable) where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    /// <summary>Creates an object straight in the lab's store, as the simulated cluster itself would.</summary>
    public JsonObject Put(string path, string json) => Api.Put(path, JsonNode.Parse(json)!.AsObject());

    /// <summary>A pod scheduled on <paramref name="node"/> with the given containers.</summary>
    /// <summary>A Certificate Signing Request waiting for approval, from an imaginary kubelet.</summary>
    public JsonObject PutPendingCsr(string name, string signer) => Api.Put(
        $"/apis/certificates.k8s.io/v1/certificatesigningrequests/{name}",
        new JsonObject
        {
            ["spec"] = new JsonObject
            {
                ["signerName"] = signer,
                ["username"] = "system:node:master-2",
                ["usages"] = new JsonArray("digital signature", "server auth"),
                ["request"] = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURSBSRVFVRVNULS0tLS0K",
            },
            ["status"] = new JsonObject(),
        });

    public JsonObject PutPod(string ns, string name, string node, params string[] containers) => Put(
        $"/api/v1/namespaces/{ns}/pods/{name}",
        new JsonObject
        {
            ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = name } },
            ["spec"] = new JsonObject
            {
                ["nodeName"] = node,
                ["containers"] = new JsonArray(containers.Select(c => (JsonNode)new JsonObject { ["name"] = c, ["image"] = "quay.io/lab/" + c }).ToArray()),
            },
            ["status"] = new JsonObject { ["phase"] = "Running" },
        }.ToJsonString());

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in _owned) owned.Dispose();
        await Server.DisposeAsync();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Collects output lines (thread-safe).</summary>
internal sealed class RecordingSink : IOutputSink
{
    private readonly List<(OutputStream Stream, string Text)> _lines = [];

    public void Line(OutputStream stream, string text)
    {
        lock (_lines) _lines.Add((stream, text));
    }

    public List<string> Stdout => Of(OutputStream.Stdout);
    public List<string> Stderr => Of(OutputStream.Stderr);

    public List<string> All
    {
        get { lock (_lines) return _lines.Select(l => l.Text).ToList(); }
    }

    private List<string> Of(OutputStream stream)
    {
        lock (_lines) return _lines.Where(l => l.Stream == stream).Select(l => l.Text).ToList();
    }
}
