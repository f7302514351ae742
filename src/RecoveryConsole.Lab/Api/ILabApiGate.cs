using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Lab.Api;

/// <summary>
/// Lets a simulated control plane decide, before each request, whether anything can answer it: a cluster model
/// refuses when no kube-apiserver runs (throws <see cref="ApiUnreachableException"/>), or answers with an error of its
/// own (a kube-apiserver whose etcd has no quorum). Called under the API server's lock, after time has advanced.
/// </summary>
internal interface ILabApiGate
{
    /// <summary>Null to let the request through; otherwise the response to give instead.</summary>
    ApiResponse? Admit(ApiRequest request);
}
