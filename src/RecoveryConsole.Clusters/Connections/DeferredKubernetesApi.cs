using RecoveryConsole.Orchestration.Clusters;
using RecoveryConsole.Orchestration.Transcript;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Transports.Kubernetes;
using RecoveryConsole.Transports.Kubernetes.Config;

namespace RecoveryConsole.Clusters.Connections;

/// <summary>
/// A registered cluster's API, built on first use from the stored kubeconfig: the registry answers synchronously,
/// while the secret store is asynchronous, and a broken kubeconfig should fail the step that needs the API (with
/// a clear reason), not the listing of clusters.
/// </summary>
internal sealed class DeferredKubernetesApi(string clusterName, ApiAccess? access, ISecretStore secrets, Redactor redactor) : IKubernetesApi, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private KubernetesClient? _client;

    public async Task<ApiResponse> SendAsync(ApiRequest request, CancellationToken cancellationToken) =>
        await (await ClientAsync(cancellationToken)).SendAsync(request, cancellationToken);

    public async Task<int> PodExecAsync(PodCommand command, IOutputSink output, CancellationToken cancellationToken) =>
        await ((IKubernetesApi)await ClientAsync(cancellationToken)).PodExecAsync(command, output, cancellationToken);

    public async Task<PodCopied> PodCopyFromAsync(PodPath source, string localPath, IOutputSink log, CancellationToken cancellationToken) =>
        await ((IKubernetesApi)await ClientAsync(cancellationToken)).PodCopyFromAsync(source, localPath, log, cancellationToken);

    public async Task<PodCopied> PodCopyToAsync(string localPath, PodPath destination, IOutputSink log, CancellationToken cancellationToken) =>
        await ((IKubernetesApi)await ClientAsync(cancellationToken)).PodCopyToAsync(localPath, destination, log, cancellationToken);

    public async Task<KubernetesClient> ClientAsync(CancellationToken cancellationToken)
    {
        if (_client is not null) return _client;
        if (access is null) throw new ApiUnreachableException(clusterName, "no kubeconfig is registered for this cluster");
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_client is not null) return _client;
            string text;
            try { text = System.Text.Encoding.UTF8.GetString(await secrets.GetAsync(access.KubeconfigSecretId, cancellationToken)); }
            catch (Exception e) when (e is KeyNotFoundException or System.Security.Cryptography.CryptographicException)
            {
                throw new ApiUnreachableException(clusterName, $"the stored kubeconfig cannot be read ({e.GetType().Name}); register it again", e);
            }
            KubernetesConnection connection;
            try { connection = Kubeconfig.Parse(text, $"the kubeconfig of {clusterName}").Resolve(access.Context); }
            catch (KubeconfigException e) { throw new ApiUnreachableException(clusterName, e.Message, e); }
            // Tokens and key data must never reach a transcript, even if an API answer echoes them.
            KubeconfigSecrets.Register(text, redactor);
            return _client = new KubernetesClient(connection);
        }
        finally { _gate.Release(); }
    }

    public void Dispose() => _client?.Dispose();
}
