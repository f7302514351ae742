using RecoveryConsole.Orchestration.Clusters;

namespace RecoveryConsole.Orchestration.Triage;

/// <summary>The operator's answers on the "What happened?" page; null means "I don't know".</summary>
public sealed record TriageAnswers
{
    public bool? ApiAnswers { get; init; }
    public bool? ApiServesData { get; init; }
    public int? HealthyControlPlaneHosts { get; init; }
    public bool? EtcdQuorum { get; init; }
    public bool? CertificatesExpired { get; init; }
    public bool? CriticalObjectDeleted { get; init; }
    public bool? HostedControlPlane { get; init; }
    /// <summary>Overrides the stored version when the inventory is wrong or missing.</summary>
    public string? Version { get; init; }
}

/// <summary>What the console checked itself: SSH to each control-plane host, and the API.</summary>
public sealed record TriageFindings
{
    public IReadOnlyList<HostReach> ControlPlaneHosts { get; init; } = [];
    public ApiFindings? Api { get; init; }

    public int Reachable => ControlPlaneHosts.Count(h => h.State == Reachability.Reachable);
    public bool HostsChecked => ControlPlaneHosts.Count > 0 && ControlPlaneHosts.All(h => h.State != Reachability.Checking);
}

/// <summary>
/// Everything the advice is based on: the operator's answers where given, otherwise what the console found, and the
/// stored inventory (product, version, facts). An answer always wins: the operator may know more than a probe.
/// </summary>
public sealed record TriageObservations
{
    public required string ClusterName { get; init; }
    public string Product { get; init; } = "openshift";
    public string Version { get; init; } = "";
    public IReadOnlyDictionary<string, string> Facts { get; init; } = new Dictionary<string, string>();
    public int? ControlPlaneHosts { get; init; }
    public int? HealthyControlPlaneHosts { get; init; }
    public bool? ApiAnswers { get; init; }
    public bool? ApiServesData { get; init; }
    public bool? EtcdQuorum { get; init; }
    public bool? CertificatesExpired { get; init; }
    public bool? CriticalObjectDeleted { get; init; }
    public bool? HostedControlPlane { get; init; }
    /// <summary>A reachable control-plane host, offered as the recovery host of a restore.</summary>
    public string? SuggestedRecoveryHost { get; init; }

    public static TriageObservations Combine(ClusterInfo cluster, TriageAnswers answers, TriageFindings? found)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(answers);
        var controlPlane = cluster.ControlPlaneHosts.Count();
        var hostsChecked = found is { HostsChecked: true };
        var api = found?.Api;
        return new TriageObservations
        {
            ClusterName = cluster.Name,
            Product = cluster.Product,
            Version = answers.Version is { Length: > 0 } v ? v.Trim() : cluster.Version,
            Facts = cluster.Facts,
            ControlPlaneHosts = controlPlane > 0 ? controlPlane : null,
            HealthyControlPlaneHosts = answers.HealthyControlPlaneHosts ?? (hostsChecked ? found!.Reachable : null),
            ApiAnswers = answers.ApiAnswers ?? api?.Answers,
            ApiServesData = answers.ApiServesData ?? api?.ServesData,
            EtcdQuorum = answers.EtcdQuorum,
            // A probe that saw an expired certificate is evidence; one that did not proves nothing (it may not have got that far).
            CertificatesExpired = answers.CertificatesExpired ?? (api is { CertificateExpired: true } ? true : null),
            CriticalObjectDeleted = answers.CriticalObjectDeleted,
            HostedControlPlane = answers.HostedControlPlane ?? (IsHosted(cluster) ? true : null),
            SuggestedRecoveryHost = found?.ControlPlaneHosts.FirstOrDefault(h => h.State == Reachability.Reachable)?.Host.Name,
        };
    }

    private static bool IsHosted(ClusterInfo cluster) =>
        cluster.Facts.GetValueOrDefault("hostedControlPlane") == "true" || cluster.Facts.GetValueOrDefault("managementCluster") == "true" ||
        cluster.Product.StartsWith("hypershift", StringComparison.OrdinalIgnoreCase);
}
