using System.Text;

namespace RecoveryConsole.Lab.ApiServer;

/// <summary>Writes kubeconfig YAML for a lab server: one cluster, one user, one context, data inline as base64.</summary>
internal static class LabKubeconfig
{
    public static string Render(string clusterName, Uri server, string caPem, string userName, IReadOnlyDictionary<string, string> userFields, string ns = "default")
    {
        var context = $"{clusterName}/{userName}";
        var text = new StringBuilder()
            .AppendLine("apiVersion: v1")
            .AppendLine("kind: Config")
            .AppendLine("clusters:")
            .AppendLine($"- name: {Quote(clusterName)}")
            .AppendLine("  cluster:")
            .AppendLine($"    server: {Quote(server.ToString().TrimEnd('/'))}")
            .AppendLine($"    certificate-authority-data: {Base64(caPem)}")
            .AppendLine("users:")
            .AppendLine($"- name: {Quote(userName)}")
            .AppendLine("  user:");
        foreach (var (key, value) in userFields) text.AppendLine($"    {key}: {Quote(value)}");
        return text
            .AppendLine("contexts:")
            .AppendLine($"- name: {Quote(context)}")
            .AppendLine("  context:")
            .AppendLine($"    cluster: {Quote(clusterName)}")
            .AppendLine($"    user: {Quote(userName)}")
            .AppendLine($"    namespace: {Quote(ns)}")
            .AppendLine($"current-context: {Quote(context)}")
            .ToString();
    }

    public static string Base64(string pem) => Convert.ToBase64String(Encoding.ASCII.GetBytes(pem));

    // Double-quoted YAML scalars: user names like system:admin contain ':'.
    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
