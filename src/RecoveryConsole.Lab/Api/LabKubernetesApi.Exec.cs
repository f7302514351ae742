using System.Text.Json.Nodes;

namespace RecoveryConsole.Lab.Api;

// pods/exec: the API validates the request as a real server does; the process itself is the lab's hook.
public sealed partial class LabKubernetesApi
{
    private volatile LabExecHandler? _execHandler;

    /// <summary>Runs exec'd commands. Null: every exec fails with exit code 126 and says that the lab runs no such process.</summary>
    public LabExecHandler? ExecHandler
    {
        get => _execHandler;
        set => _execHandler = value;
    }

    /// <summary>
    /// Validates <c>GET /api/v1/namespaces/{ns}/pods/{pod}/exec?command=...&amp;container=...</c> against the pod
    /// as stored now. Failures throw <see cref="KubeApiException"/> with a real server's wording.
    /// </summary>
    internal LabExecRequest PrepareExec(string target)
    {
        var queryAt = target.IndexOf('?');
        var path = ResourcePath.Parse(queryAt < 0 ? target : target[..queryAt]);
        if (path is not { Group: "", Resource: "pods", Namespace: not null, Name: not null, Subresource: "exec" }) throw KubeStatus.NoSuchPath();
        var query = MultiQuery(queryAt < 0 ? "" : target[(queryAt + 1)..]);
        var command = query.GetValueOrDefault("command") ?? [];
        if (command.Count == 0) throw KubeStatus.BadRequest("you must specify at least 1 command");

        JsonObject pod;
        lock (_gate)
        {
            _store.Advance(Clock.UtcNow);
            pod = _store.Get(path.WithoutSubresource()) ?? throw KubeStatus.NotFound(path.WithoutSubresource());
        }
        var containers = (pod["spec"]?["containers"] as JsonArray ?? []).Select(c => (string?)c?["name"]).OfType<string>().ToList();
        var container = query.GetValueOrDefault("container")?.FirstOrDefault();
        if (container is null)
        {
            if (containers.Count != 1)
                throw KubeStatus.BadRequest($"a container name must be specified for pod {path.Name}, choose one of: [{string.Join(' ', containers)}]");
            container = containers[0];
        }
        else if (!containers.Contains(container))
        {
            throw KubeStatus.BadRequest($"container {container} is not valid for pod {path.Name}");
        }
        var phase = (string?)pod["status"]?["phase"];
        if (phase is "Succeeded" or "Failed")
            throw KubeStatus.BadRequest($"cannot exec into a container in a completed pod; current phase is {phase}");

        var stdin = query.GetValueOrDefault("stdin")?.FirstOrDefault() is "true" or "1";
        return new LabExecRequest(path.Namespace, path.Name, container, command, (string?)pod["spec"]?["nodeName"], stdin);
    }

    private static Dictionary<string, List<string>> MultiQuery(string query)
    {
        var result = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            var key = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
            if (!result.TryGetValue(key, out var values)) result[key] = values = [];
            values.Add(value);
        }
        return result;
    }
}
