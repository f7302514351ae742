using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Clusters.Registration;

/// <summary>
/// What an operator enters to register or change a real cluster. Secrets come in as text once (a new SSH key, new
/// kubeconfigs) and are stored encrypted; null or absent means "keep what is stored".
/// </summary>
public sealed record ClusterRegistrationRequest
{
    public required string Name { get; init; }
    /// <summary>A new registration: refused if the name is taken (a form for a new cluster never overwrites an existing one).</summary>
    public bool IsNew { get; init; }
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
    /// <summary>Roles whose stored kubeconfig is to be deleted (e.g. a cluster that no longer uses hosted control planes).</summary>
    public IReadOnlyCollection<string> RemoveKubeconfigs { get; init; } = [];
    /// <summary>The cluster's AWS account for cloud steps; null keeps what is stored.</summary>
    public CloudAccountRequest? Cloud { get; init; }
    /// <summary>Forget the stored AWS account (its secret is deleted).</summary>
    public bool RemoveCloud { get; init; }
    /// <summary>Facts the operator states or corrects (keepalived, networkType, platform, proxy, ...).</summary>
    public IReadOnlyDictionary<string, string>? Facts { get; init; }

    /// <summary>Never the key, its passphrase or the kubeconfigs (records print every property by default).</summary>
    public override string ToString() => $"registration of {Name} ({Hosts.Count} hosts)";
}

/// <summary>Which part of the form a problem belongs to, so the page can show it next to the field.</summary>
public static class RegistrationFields
{
    public const string Name = "name";
    public const string Hosts = "hosts";
    public const string Ssh = "ssh";
    public const string JumpHost = "jump-host";
    public const string Key = "key";
    public const string Cloud = "cloud";
    public const string General = "general";

    public static string Kubeconfig(string role) => "kubeconfig:" + role;
}

/// <summary>One reason a registration cannot be stored, as a sentence, and the field it is about.</summary>
public sealed record RegistrationProblem(string Field, string Message);

/// <summary>The request cannot be registered as it is; the problems say why, per field. Nothing was stored.</summary>
public sealed class ClusterRegistrationException(IReadOnlyList<RegistrationProblem> problems)
    : Exception("The cluster cannot be registered: " + string.Join(" ", problems.Select(p => p.Message)))
{
    public IReadOnlyList<RegistrationProblem> Details { get; } = problems;

    /// <summary>The sentences alone.</summary>
    public IReadOnlyList<string> Problems { get; } = problems.Select(p => p.Message).ToList();

    public IEnumerable<string> For(string field) => Details.Where(p => p.Field == field).Select(p => p.Message);
}
