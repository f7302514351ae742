using RecoveryConsole.Orchestration.Transcript;

namespace RecoveryConsole.Clusters.Connections;

/// <summary>
/// The credentials inside a kubeconfig (tokens, client key data, passwords), registered with the redactor as known
/// values: they are masked wherever they appear, even printed bare with no field name around them.
/// </summary>
internal static class KubeconfigSecrets
{
    private static readonly HashSet<string> SecretFields = new(StringComparer.Ordinal)
    {
        "token", "client-key-data", "password", "id-token", "refresh-token", "access-token", "client-secret",
    };

    public static void Register(string kubeconfig, Redactor redactor)
    {
        foreach (var line in kubeconfig.Split('\n'))
        {
            var t = line.Trim().TrimStart('-').Trim();
            var colon = t.IndexOf(':');
            if (colon > 0 && SecretFields.Contains(t[..colon].Trim().Trim('"'))) redactor.AddSecret(t[(colon + 1)..].Trim().Trim(',').Trim('"', '\''));
        }
    }
}
