using RecoveryConsole.Orchestration.Clusters;

namespace RecoveryConsole.Web.Clusters;

/// <summary>Short sentences about registered clusters, shared by the pages.</summary>
public static class ClusterDescriptions
{
    /// <summary>"SSH as core with a stored key via core@bastion:22; kubeconfig for cluster".</summary>
    public static string Access(ClusterDefinition d)
    {
        var key = d.Ssh.KeySecretId is null ? " (the console user's own ssh setup)" : " with a stored key";
        var jump = d.Ssh.JumpHost is { } j ? $" via {j}" : "";
        var apis = d.Apis.Count == 0 ? "no kubeconfig" : $"kubeconfig for {string.Join(", ", d.Apis.Select(a => a.Role))}";
        return $"SSH as {d.Ssh.User}{key}{jump}; {apis}";
    }
}
