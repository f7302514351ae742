using System.Text.Json;
using System.Text.Json.Nodes;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Lab.Api;

/// <summary>
/// An in-memory Kubernetes API server for a lab cluster. Objects live as JSON keyed by their REST path;
/// errors are Status objects with the codes and wording of a real server, so clients written against the
/// lab work unchanged against OpenShift. Requests are serialised: the lab favours determinism over throughput.
/// </summary>
public sealed partial class LabKubernetesApi : IKubernetesApi
{
    public const string DefaultServer = "https://api.lab-ocp4.lab.example:6443";

    private static readonly JsonObject VersionInfo = new()
    {
        ["major"] = "1",
        ["minor"] = "29",
        ["gitVersion"] = "v1.29.5+29c95f3",
        ["gitCommit"] = "29c95f397ec4f1b7c4d2b4a1d6d63e0b4e5b8c7a",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2024-08-28T13:16:05Z",
        ["goVersion"] = "go1.21.11 (Red Hat 1.21.11-1.el9_4) X:strictfipsruntime",
        ["compiler"] = "gc",
        ["platform"] = "linux/amd64",
    };

    private readonly object _gate = new();
    private readonly LabObjectStore _store;
    private volatile bool _available = true;

    public LabKubernetesApi(LabClock clock, TimeSpan rolloutStepDelay, string server = DefaultServer)
    {
        ArgumentNullException.ThrowIfNull(clock);
        Clock = clock;
        Server = server;
        _store = new LabObjectStore(clock);
        // The watch log first: controllers write from inside a notification, and events must keep revision order.
        _watchLog = new LabWatchLog(_store);
        _store.AddController(_watchLog);
        _store.AddController(new StaticPodRolloutController(_store, clock, rolloutStepDelay));
    }

    public LabClock Clock { get; }

    /// <summary>The address named in <see cref="ApiUnreachableException"/>; never contacted.</summary>
    public string Server { get; }

    /// <summary>False simulates an API server that is down: every request throws <see cref="ApiUnreachableException"/>.</summary>
    public bool Available
    {
        get => _available;
        set => _available = value;
    }

    public static string KubernetesGitVersion => (string)VersionInfo["gitVersion"]!;

    public Task<ApiResponse> SendAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        if (!Available) throw new ApiUnreachableException(Server, "dial tcp 192.0.2.5:6443: connect: connection refused");
        lock (_gate)
        {
            _store.Advance(Clock.UtcNow);
            if (Gate?.Admit(request) is { } refused) return Task.FromResult(refused); // a simulated control plane that cannot serve
            try
            {
                return Task.FromResult(Handle(request));
            }
            catch (KubeApiException e)
            {
                return Task.FromResult(e.ToResponse());
            }
        }
    }

    /// <summary>
    /// A request that reached one kube-apiserver directly (oc on a control-plane host against localhost:6443): the
    /// caller has decided that this server answers, so neither <see cref="Available"/> nor the gate is asked.
    /// </summary>
    internal ApiResponse SendDirect(ApiRequest request)
    {
        lock (_gate)
        {
            _store.Advance(Clock.UtcNow);
            try
            {
                return Handle(request);
            }
            catch (KubeApiException e)
            {
                return e.ToResponse();
            }
        }
    }

    /// <summary>Reads an object by its REST path, for the simulation and tests (no HTTP semantics, no availability check).</summary>
    public JsonObject? Get(string path)
    {
        var parsed = ParseObjectPath(path);
        lock (_gate)
        {
            _store.Advance(Clock.UtcNow);
            return _store.Get(parsed);
        }
    }

    /// <summary>Creates or replaces an object at its REST path, as the simulated cluster itself does (seeding, kubelets, operators).</summary>
    public JsonObject Put(string path, JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var parsed = ParseObjectPath(path);
        lock (_gate)
        {
            return _store.Get(parsed) is null ? _store.Create(parsed, obj) : _store.Replace(parsed, obj);
        }
    }

    private static ResourcePath ParseObjectPath(string path) =>
        ResourcePath.Parse(path) is { Name: not null, Subresource: null } parsed
            ? parsed
            : throw new ArgumentException($"'{path}' is not the path of an object.", nameof(path));

    private ApiResponse Handle(ApiRequest request)
    {
        var queryAt = request.Path.IndexOf('?');
        var pathPart = queryAt < 0 ? request.Path : request.Path[..queryAt];
        var query = ParseQuery(queryAt < 0 ? "" : request.Path[(queryAt + 1)..]);
        var method = request.Method.ToUpperInvariant();

        switch (pathPart.TrimEnd('/'))
        {
            case "/version":
                return method == "GET" ? Ok(VersionInfo) : throw KubeStatus.MethodNotAllowed();
            case "/healthz" or "/readyz" or "/livez":
                return new ApiResponse(200, "ok");
        }

        var path = ResourcePath.Parse(pathPart) ?? throw KubeStatus.NoSuchPath();
        if (path.Subresource is not null && !SupportsSubresource(path)) throw KubeStatus.NoSuchPath();
        if (query.ContainsKey("watch")) throw KubeStatus.BadRequest("watch needs a streaming connection: use the lab's HTTPS API server (LabApiServer), or poll with GET");
        if (path.Subresource == "scale") return Scale(method, path, request);

        return (method, path.Name is null) switch
        {
            ("GET", true) => List(path, query),
            ("GET", false) => Ok(_store.Get(path) ?? throw KubeStatus.NotFound(path)),
            ("POST", true) => Create(path, request.Body),
            ("PUT", false) => Update(path, ParseObject(request.Body)),
            ("PATCH", false) => Patch(path, request),
            ("DELETE", false) => Delete(path, request.Body, query),
            ("DELETE", true) => DeleteCollection(path, query),
            _ => throw KubeStatus.MethodNotAllowed(),
        };
    }

    private static bool SupportsSubresource(ResourcePath path) => path.Subresource switch
    {
        "status" => ResourceKinds.HasStatusSubresource(path.Resource),
        "approval" => path is { Group: "certificates.k8s.io", Resource: "certificatesigningrequests" },
        "scale" => IsScalable(path),
        _ => false,
    };

    private static ApiResponse Ok(JsonNode body, int status = 200) => new(status, body.ToJsonString());

    private static Dictionary<string, string> ParseQuery(string query)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            var key = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            result[key] = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
        }
        return result;
    }

    private static JsonObject ParseObject(string? body)
    {
        try
        {
            return JsonNode.Parse(body ?? "") as JsonObject ?? throw KubeStatus.BadRequest("the request body must be a JSON object");
        }
        catch (JsonException e)
        {
            throw KubeStatus.BadRequest($"the request body is not valid JSON: {e.Message}");
        }
    }
}
