using System.Text;
using System.Text.Json.Nodes;
using RecoveryConsole.Lab.Api;
using RecoveryConsole.Lab.Clusters;
using RecoveryConsole.Lab.Health;
using RecoveryConsole.Lab.Hosted;
using RecoveryConsole.Lab.Scenarios;
using RecoveryConsole.Lab.Tests.Ocp4;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Lab.Tests.Hosted;

/// <summary>
/// The hosted-control-planes estate (lab-mgmt-a, lab-mgmt-b, lab-hosted-1) on virtual time, driven as the engine drives
/// it: `oc` as requests through <see cref="IKubernetesApi.SendAsync"/>, `oc exec` through the API's pods/exec hook.
/// </summary>
internal sealed class HostedHarness
{
    public const string A = HostedEstate.SourceName;
    public const string B = HostedEstate.DestinationName;
    public const string Guest = HostedEstate.HostedName;
    public const string Cp = HostedEstate.ControlPlaneNamespace;
    public const string Hc = "/apis/hypershift.openshift.io/v1beta1/namespaces/clusters/hostedclusters/hosted-1";
    public const string Np = "/apis/hypershift.openshift.io/v1beta1/namespaces/clusters/nodepools/hosted-1-workers";
    public const string EtcdCerts = "--cacert /etc/etcd/tls/etcd-ca/ca.crt --cert /etc/etcd/tls/client/etcd-client.crt --key /etc/etcd/tls/client/etcd-client.key --endpoints=https://localhost:2379";

    /// <param name="start">The lab clock's start (default: the fixed virtual start); a real client signing with the machine's clock needs now.</param>
    public HostedHarness(string? scenario = null, DateTimeOffset? start = null)
    {
        Time = start is { } at ? new VirtualTimeProvider(at) : new VirtualTimeProvider();
        Registry = new LabClusterRegistry(new LabOptions { TimeScale = 1.0, RolloutStepDelay = TimeSpan.FromSeconds(20) }, Time, LabClusterCatalog.HostedControlPlanes());
        Scenarios = new LabScenarios(Registry);
        if (scenario is not null) Application = Scenarios.Apply(A, scenario);
    }

    public VirtualTimeProvider Time { get; }
    public LabClusterRegistry Registry { get; }
    public LabScenarios Scenarios { get; }
    public LabScenarioApplication? Application { get; }
    public LabCluster Cluster(string name) => Registry.FindLab(name)!;
    public HostedEstate Estate => HostedEstate.Of(Cluster(A));

    public LabHealthReport Health(string cluster = A) => LabHealth.Evaluate(Cluster(cluster));

    public async Task<(int Status, JsonNode? Body)> ApiAsync(string cluster, string method, string path, string? body = null, string? contentType = null)
    {
        var response = await Cluster(cluster).Connection.Api.SendAsync(new ApiRequest(method, path, body, contentType), CancellationToken.None);
        try
        {
            return (response.Status, JsonNode.Parse(response.Body));
        }
        catch (System.Text.Json.JsonException)
        {
            return (response.Status, JsonValue.Create(response.Body));
        }
    }

    public async Task<JsonObject> MustApiAsync(string cluster, string method, string path, string? body = null, string? contentType = null)
    {
        var (status, json) = await ApiAsync(cluster, method, path, body, contentType);
        Assert.True(status is >= 200 and < 300, $"[{cluster}] {method} {path} answered {status}: {json?.ToJsonString()}");
        return (JsonObject)json!;
    }

    public Task<JsonObject> MergePatchAsync(string cluster, string path, string patch) =>
        MustApiAsync(cluster, "PATCH", path, patch, "application/merge-patch+json");

    /// <summary>oc scale: a merge patch of the scale subresource.</summary>
    public Task<JsonObject> ScaleAsync(string cluster, string workload, int replicas)
    {
        var (kind, name) = (workload.Split('/')[0], workload.Split('/')[1]);
        return MergePatchAsync(cluster, $"/apis/apps/v1/namespaces/{Cp}/{kind}s/{name}/scale", $"{{\"spec\":{{\"replicas\":{replicas}}}}}");
    }

    public async Task<List<JsonObject>> PodsAsync(string cluster, string selector) =>
        (await MustApiAsync(cluster, "GET", $"/api/v1/namespaces/{Cp}/pods?labelSelector={Uri.EscapeDataString(selector)}"))["items"]!.AsArray().OfType<JsonObject>().ToList();

    public static bool Ready(JsonObject pod) =>
        pod["status"]?["conditions"]?.AsArray().OfType<JsonObject>().Any(c => (string?)c["type"] == "Ready" && (string?)c["status"] == "True") == true;

    /// <summary>oc exec -n NS POD -c CONTAINER -- COMMAND: validated by the API, run by the cluster's exec hook.</summary>
    public async Task<(int Code, string Out, string Err)> ExecAsync(string cluster, string pod, string? container, string command)
    {
        var api = Cluster(cluster).Api;
        var query = string.Join('&', HostedExecWords(command).Select(w => "command=" + Uri.EscapeDataString(w)));
        if (container is not null) query = $"container={container}&" + query;
        var request = api.PrepareExec($"/api/v1/namespaces/{Cp}/pods/{pod}/exec?{query}&stdout=true&stderr=true");
        using var stdout = new MemoryStream();
        using var stderr = new MemoryStream();
        var code = await api.ExecHandler!(request, new LabExecStreams(Stream.Null, stdout, stderr), CancellationToken.None);
        return (code, Encoding.UTF8.GetString(stdout.ToArray()), Encoding.UTF8.GetString(stderr.ToArray()));
    }

    /// <summary>Exec with binary streams (what `oc cp` does: tar over exec), the words passed as they are.</summary>
    public async Task<(int Code, byte[] Out, string Err)> ExecBytesAsync(string cluster, string pod, string? container, IReadOnlyList<string> words, byte[]? stdin = null)
    {
        var api = Cluster(cluster).Api;
        var query = string.Join('&', words.Select(w => "command=" + Uri.EscapeDataString(w)));
        if (container is not null) query = $"container={container}&" + query;
        if (stdin is not null) query += "&stdin=true";
        var request = api.PrepareExec($"/api/v1/namespaces/{Cp}/pods/{pod}/exec?{query}&stdout=true&stderr=true");
        using var stdout = new MemoryStream();
        using var stderr = new MemoryStream();
        using var input = new MemoryStream(stdin ?? []);
        var code = await api.ExecHandler!(request, new LabExecStreams(input, stdout, stderr), CancellationToken.None);
        return (code, stdout.ToArray(), Encoding.UTF8.GetString(stderr.ToArray()));
    }

    public async Task<string> MustExecAsync(string cluster, string pod, string? container, string command)
    {
        var (code, stdout, stderr) = await ExecAsync(cluster, pod, container, command);
        Assert.True(code == 0, $"[{cluster}/{pod}] {command} exited {code}: {stderr}{stdout}");
        return stdout;
    }

    /// <summary>The words of a command as `oc exec ... -- WORDS` passes them (the shell of the operator has split them).</summary>
    private static List<string> HostedExecWords(string command)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        char? quote = null;
        var quoted = false;
        foreach (var c in command)
        {
            if (quote is not null)
            {
                if (c == quote) quote = null; else current.Append(c);
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                quoted = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (current.Length > 0 || quoted) words.Add(current.ToString());
                current.Clear();
                quoted = false;
            }
            else current.Append(c);
        }
        if (current.Length > 0 || quoted) words.Add(current.ToString());
        return words;
    }

    /// <summary>Polls like an operator (`oc get pods -w`): virtual time passes between checks.</summary>
    public async Task WaitUntilAsync(string what, Func<Task<bool>> condition, int attempts = 60)
    {
        for (var i = 0; i < attempts; i++)
        {
            if (await condition()) return;
            Time.Advance(TimeSpan.FromSeconds(10));
        }
        Assert.Fail($"still waiting for: {what}\n{Health()}");
    }
}
