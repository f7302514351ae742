using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Clusters.Registration;

/// <summary>
/// What an operator enters to register or change a real cluster. Secrets come in as text once (a new SSH key, new
/// kubeconfigs) and are stored encrypted; null or absent means "keep what is stored".
/// </summary>
public sealed record ClusterRegistrationRequest
{
    public required string Name { get; init; }
    public string Product { get; init; } = "openshift";
    public string Version { get; init; } = "";
    public IReadOnlyList<HostInfo> Hosts { get; init; } = [];
    public string SshUser { get; init; } = "core";
    public int SshPort { get; init; } = 22;
    public string? JumpHost { get; init; }
    public string? PrivateKey { get; init; }
    public string? KeyPassphrase { get; init; }
    /// <summary>Kubeconfig text per role (ApiRoles); a role not named keeps its stored kubeconfig.</summary>
    public IReadOnlyDictionary<string, string> Kubeconfigs { get; init; } = new Dictionary<string, string>();
    /// <summary>The context to use per role (null: the kubeconfig's current context).</summary>
    public IReadOnlyDictionary<string, string> Contexts { get; init; } = new Dictionary<string, string>();
    /// <summary>Facts the operator states or corrects (keepalived, networkType, platform, proxy, ...).</summary>
    public IReadOnlyDictionary<string, string>? Facts { get; init; }

    public override string ToString() => $"registration of {Name} ({Hosts.Count} hosts)"; // never the key or kubeconfigs
}

/// <summary>The request cannot be registered as it is; the problems say why, per field.</summary>
public sealed class ClusterRegistrationException(IReadOnlyList<string> problems)
    : Exception("The cluster cannot be registered: " + string.Join(" ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
