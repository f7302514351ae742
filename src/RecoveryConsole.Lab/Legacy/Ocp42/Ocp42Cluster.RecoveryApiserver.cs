using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Lab.Legacy.Ocp42;

public sealed partial class Ocp42Cluster
{
    /// <summary>True when the recovery API server (podman, localhost:7443) runs on <paramref name="host"/>.</summary>
    internal bool RecoveryApiserverOn(string host)
    {
        lock (Sync) return _recoveryApiserver.Contains(host);
    }

    /// <summary>
    /// A request oc on the recovery master sends to localhost:7443: it bypasses the cluster's expired serving certificate,
    /// needs etcd's quorum like any kube-apiserver, and what it writes (forced rollouts) is reconciled at once.
    /// </summary>
    internal ApiResponse SendToRecoveryApiserver(ApiRequest request)
    {
        lock (Sync)
        {
            if (!HasQuorum)
                return new ApiResponse(500, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"etcdserver: request timed out\",\"code\":500}");
            var response = Cluster.Api.SendDirect(request);
            Reconcile();
            return response;
        }
    }
}
