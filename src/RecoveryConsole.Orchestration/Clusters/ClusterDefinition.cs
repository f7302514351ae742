using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Clusters;

/// <summary>
/// A real cluster as an operator registered it: how to reach it (references to stored secrets, never the secrets)
/// and the inventory captured while it was healthy. During a disaster the API is down, so the wizards work from
/// this stored inventory, shown with its age, and the operator may correct it.
/// </summary>
public sealed record ClusterDefinition
{
    public required string Name { get; init; }
    public string Product { get; init; } = "openshift";
    public string Version { get; init; } = "";
    public IReadOnlyList<HostInfo> Hosts { get; init; } = [];
    public SshAccess Ssh { get; init; } = new();
    public IReadOnlyList<ApiAccess> Apis { get; init; } = [];
    /// <summary>The AWS account of its cloud steps (S3, Route53); null: none registered.</summary>
    public CloudAccess? Cloud { get; init; }
    /// <summary>keepalived, networkType, platform (IPI/UPI), proxy, availabilityPolicy, ... as strings.</summary>
    public IReadOnlyDictionary<string, string> Facts { get; init; } = new Dictionary<string, string>();
    public DateTimeOffset? InventoryCapturedAt { get; init; }
    /// <summary>Where the inventory came from: "captured from the API by olivia", "corrected by arjun: ...".</summary>
    public string InventorySource { get; init; } = "";

    public ClusterInfo ToInfo() => new()
    {
        Name = Name, Product = Product, Version = Version, IsSimulated = false, Hosts = Hosts, Facts = Facts,
    };

    public ApiAccess? Api(string role = ApiRoles.Cluster) => Apis.FirstOrDefault(a => a.Role == role);
}

/// <summary>SSH access to the cluster's hosts: user, port, the stored key, an optional jump host (ProxyJump).</summary>
public sealed record SshAccess
{
    public string User { get; init; } = "core";
    public int Port { get; init; } = 22;
    /// <summary>Id of the private key in the secret store; null uses the console user's own ssh configuration.</summary>
    public string? KeySecretId { get; init; }
    /// <summary>ProxyJump target, e.g. "core@bastion.example:22".</summary>
    public string? JumpHost { get; init; }
}

/// <summary>A kubeconfig (stored as a secret) and the role it plays for this cluster.</summary>
public sealed record ApiAccess
{
    public string Role { get; init; } = ApiRoles.Cluster;
    public required string KubeconfigSecretId { get; init; }
    public string? Context { get; init; }
}

/// <summary>An AWS account as registered: the secret access key is in the secret store (by id), the rest is public.</summary>
public sealed record CloudAccess
{
    public required string AccessKeyId { get; init; }
    public required string SecretId { get; init; }
    public required string Region { get; init; }
    public string? HostedZoneId { get; init; }
    /// <summary>An S3/Route53-compatible endpoint (https, or http on 127.0.0.0/8); null: AWS's own.</summary>
    public string? Endpoint { get; init; }
}

/// <summary>Hosted control planes need several API servers: the management clusters and the hosted cluster itself.</summary>
public static class ApiRoles
{
    public const string Cluster = "cluster";
    public const string SourceManagement = "source-management";
    public const string DestinationManagement = "destination-management";
    public const string Hosted = "hosted";
    public static readonly IReadOnlyList<string> All = [Cluster, SourceManagement, DestinationManagement, Hosted];
}

/// <summary>The registered real clusters, durable.</summary>
public interface IClusterDefinitions
{
    Task<IReadOnlyList<ClusterDefinition>> ListAsync(CancellationToken cancellationToken);
    Task<ClusterDefinition?> FindAsync(string name, CancellationToken cancellationToken);
    /// <summary>Inserts or replaces by name.</summary>
    Task SaveAsync(ClusterDefinition cluster, CancellationToken cancellationToken);
    Task<bool> DeleteAsync(string name, CancellationToken cancellationToken);
}

/// <summary>
/// Secrets (SSH private keys, kubeconfigs, cloud credentials) encrypted at rest. Only ids travel through the rest of
/// the console; the plain bytes exist only where a transport needs them, for as short as possible.
/// </summary>
public interface ISecretStore
{
    Task<string> PutAsync(string purpose, byte[] secret, CancellationToken cancellationToken);
    /// <summary>The secret's bytes; throws KeyNotFoundException for an unknown id.</summary>
    Task<byte[]> GetAsync(string id, CancellationToken cancellationToken);
    Task DeleteAsync(string id, CancellationToken cancellationToken);
}
