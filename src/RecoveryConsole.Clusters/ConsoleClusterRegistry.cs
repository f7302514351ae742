using System.Collections.Concurrent;
using RecoveryConsole.Clusters.Connections;
using RecoveryConsole.Lab.Clusters;
using RecoveryConsole.Orchestration.Clusters;
using RecoveryConsole.Orchestration.Transcript;
using RecoveryConsole.Transports.Ssh;

namespace RecoveryConsole.Clusters;

/// <summary>
/// Every cluster the console can act on: the lab's simulated ones (when the lab is on) and the registered real ones.
/// The only place that knows which is which; the engine sees <see cref="ClusterConnection"/>s alike. Real clusters are
/// read from the store at start-up and whenever <see cref="ClusterRegistration"/> changes one.
/// </summary>
public sealed class ConsoleClusterRegistry(
    IClusterDefinitions definitions, ISecretStore secrets, SshTransportFactory ssh, ClusterPaths paths, Redactor redactor,
    LabClusterRegistry? lab = null, LabEndpoints? labEndpoints = null) : IClusterRegistry, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, RegisteredCluster> _registered = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _refresh = new(1, 1);

    private sealed record RegisteredCluster(ClusterDefinition Definition, ClusterConnection Connection, SshHostTransport Ssh, DeferredKubernetesApi Api);

    public IReadOnlyList<ClusterInfo> List() =>
        (lab?.List() ?? []).Concat(_registered.Values.Select(r => r.Connection.Info)).OrderBy(c => c.Name, StringComparer.Ordinal).ToList();

    public ClusterConnection? Find(string name) =>
        _registered.TryGetValue(name, out var r) ? r.Connection : labEndpoints?.Connection(name) ?? lab?.Find(name);

    public ClusterDefinition? Definition(string name) => _registered.GetValueOrDefault(name)?.Definition;

    public bool IsSimulated(string name) => lab?.Find(name) is not null;

    /// <summary>
    /// Re-reads the registered clusters. A cluster whose access (SSH settings, key, kubeconfigs) is unchanged keeps its
    /// connections (its SSH masters stay up, runs holding them go on); only its hosts and facts are updated. A cluster
    /// whose access changed gets new connections, and its old ones are closed.
    /// </summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await _refresh.WaitAsync(cancellationToken);
        try
        {
            var current = (await definitions.ListAsync(cancellationToken)).ToDictionary(d => d.Name, StringComparer.Ordinal);
            foreach (var (name, existing) in _registered)
            {
                if (current.TryGetValue(name, out var d) && SameAccess(d, existing.Definition))
                {
                    _registered[name] = existing with { Definition = d, Connection = existing.Connection with { Info = d.ToInfo() } };
                    continue;
                }
                if (_registered.TryRemove(name, out var gone)) await ReleaseAsync(gone);
            }
            foreach (var (name, definition) in current)
            {
                if (_registered.ContainsKey(name)) continue;
                if (lab?.Find(name) is not null) continue; // a simulated cluster's name is never shadowed
                var registered = Connect(definition);
                if (await CloudAccountAsync(definition, cancellationToken) is { } cloud)
                    registered = registered with { Connection = registered.Connection with { Cloud = cloud } };
                _registered[name] = registered;
                await LearnSecretsAsync(definition, cancellationToken);
            }
        }
        finally { _refresh.Release(); }
    }

    /// <summary>
    /// The cluster's credentials become known secrets as soon as it is registered (or the console starts): any run on it,
    /// even one that never uses the API, masks them. A kubeconfig that cannot be read is left to fail where it is used.
    /// </summary>
    private async Task LearnSecretsAsync(ClusterDefinition definition, CancellationToken cancellationToken)
    {
        foreach (var api in definition.Apis)
        {
            try { KubeconfigSecrets.Register(System.Text.Encoding.UTF8.GetString(await secrets.GetAsync(api.KubeconfigSecretId, cancellationToken)), redactor); }
            catch (Exception e) when (e is KeyNotFoundException or System.Security.Cryptography.CryptographicException) { }
        }
    }

    /// <summary>
    /// The registered AWS account with its secret from the encrypted store, learnt by the redactor first. An unreadable
    /// secret leaves the cluster without an account: its cloud steps say so rather than sign with nothing.
    /// </summary>
    private async Task<CloudAccount?> CloudAccountAsync(ClusterDefinition definition, CancellationToken cancellationToken)
    {
        if (definition.Cloud is not { } access) return null;
        string secret;
        try { secret = System.Text.Encoding.UTF8.GetString(await secrets.GetAsync(access.SecretId, cancellationToken)); }
        catch (Exception e) when (e is KeyNotFoundException or System.Security.Cryptography.CryptographicException) { return null; }
        redactor.AddSecret(secret);
        return new CloudAccount(access.AccessKeyId, secret, access.Region, access.Endpoint is { } endpoint ? new Uri(endpoint) : null, access.HostedZoneId);
    }

    private static bool SameAccess(ClusterDefinition a, ClusterDefinition b) => a.Ssh == b.Ssh && a.Apis.SequenceEqual(b.Apis) && a.Cloud == b.Cloud;

    internal SshHostTransport? SshOf(string name) => _registered.GetValueOrDefault(name)?.Ssh;

    internal DeferredKubernetesApi? ApiOf(string name) => _registered.GetValueOrDefault(name)?.Api;

    private RegisteredCluster Connect(ClusterDefinition definition)
    {
        Directory.CreateDirectory(paths.KnownHostsDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var transport = ssh.Create(new SshClusterProfile
        {
            User = definition.Ssh.User,
            Port = definition.Ssh.Port,
            KeyId = definition.Ssh.KeySecretId,
            JumpHost = definition.Ssh.JumpHost is { Length: > 0 } jump ? JumpHost.Parse(jump, definition.Ssh.User) : null,
            KnownHostsFile = paths.KnownHostsFile(definition.Name),
        });
        var api = new DeferredKubernetesApi(definition.Name, definition.Api(), secrets, redactor);
        return new RegisteredCluster(definition, new ClusterConnection(definition.ToInfo(), transport, api), transport, api);
    }

    private async ValueTask ReleaseAsync(RegisteredCluster cluster)
    {
        await ssh.ReleaseAsync(cluster.Ssh);
        cluster.Api.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var r in _registered.Values) await ReleaseAsync(r);
        _registered.Clear();
    }
}
