using System.Text;

namespace RecoveryConsole.Transports.Kubernetes.Tests.Support;

/// <summary>Writes small kubeconfigs for the loader tests: one cluster "lab", one user "admin", one context "admin".</summary>
internal static class KubeconfigYaml
{
    public static string Base64(string text) => Convert.ToBase64String(Encoding.ASCII.GetBytes(text));

    public static string Build(string clusterFields, string userFields, string server = "https://127.0.0.1:6443", string? currentContext = "admin", string ns = "") =>
        $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: lab
          cluster:
            server: {server}
        {Indent(clusterFields, 4)}
        users:
        - name: admin
          user:
        {Indent(userFields, 4)}
        contexts:
        - name: admin
          context:
            cluster: lab
            user: admin
        {(ns.Length == 0 ? "" : "    namespace: " + ns)}
        {(currentContext is null ? "" : "current-context: " + currentContext)}
        """;

    private static string Indent(string fields, int spaces) =>
        string.Join('\n', fields.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => new string(' ', spaces) + l.Trim()));
}
