using System.Globalization;
using RecoveryConsole.Transports.Kubernetes.Config;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace RecoveryConsole.Clusters.Registration;

/// <summary>What a kubeconfig resolves to, in public terms: never the token, key or certificate themselves.</summary>
/// <param name="Credential">"client certificate CN=system:admin, O=system:masters (expires 2027-01-01)", "bearer token", "no credentials".</param>
/// <param name="Warnings">The client's warnings (insecure-skip-tls-verify, plain http, expired certificates): shown wherever it is used.</param>
public sealed record KubeconfigSummary(string Context, string Cluster, string User, string Server, string Credential, bool InsecureSkipTlsVerify,
    IReadOnlyList<string> Warnings);

/// <summary>The answer for a pasted or stored kubeconfig: its contexts, the chosen one, and what it resolves to or why not.</summary>
public sealed record KubeconfigInspectionResult(IReadOnlyList<string> Contexts, string? CurrentContext, string? Context, KubeconfigSummary? Summary, string? Problem)
{
    public bool IsUsable => Summary is not null && Problem is null;
}

/// <summary>
/// Checks a kubeconfig the way the console will use it, before it is stored: it parses, the context resolves, the
/// credentials load. A kubeconfig that points at files is refused: the console stores the kubeconfig, not the files
/// (which would be read from the console's own disk, and would be missing on the next machine anyway).
/// </summary>
public static class KubeconfigInspection
{
    private static readonly string[] FileFields = ["certificate-authority", "client-certificate", "client-key", "tokenFile", "token-file"];

    /// <param name="source">How messages name it: "The kubeconfig {source} ...".</param>
    public static KubeconfigInspectionResult Inspect(string text, string? context, string source = "you gave", TimeProvider? time = null)
    {
        Kubeconfig config;
        try
        {
            config = Kubeconfig.Parse(text ?? "", source);
        }
        catch (KubeconfigException e)
        {
            return new KubeconfigInspectionResult([], null, null, null, e.Message);
        }
        var contexts = config.ContextNames.ToList();
        var chosen = context ?? config.CurrentContext;
        if (FileReferences(text!) is { Count: > 0 } files)
            return new KubeconfigInspectionResult(contexts, config.CurrentContext, chosen, null,
                $"The kubeconfig {source} names files ({string.Join(", ", files)}); the console stores the kubeconfig itself, not files on its disk. " +
                "Inline them (oc config view --raw --minify --flatten gives a kubeconfig with the data inline).");
        try
        {
            using var connection = config.Resolve(context, time);
            var credential = connection.Credential switch
            {
                CredentialKind.ClientCertificate => $"client certificate {connection.ClientCertificateSubject}" +
                    (connection.ClientCertificateExpires is { } expires ? $" (valid until {expires.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC)" : ""),
                CredentialKind.BearerToken => "bearer token",
                _ => "no credentials",
            };
            var summary = new KubeconfigSummary(connection.ContextName, connection.ClusterName, connection.UserName,
                connection.Server.GetLeftPart(UriPartial.Authority), credential, connection.InsecureSkipTlsVerify, connection.Warnings);
            return new KubeconfigInspectionResult(contexts, config.CurrentContext, connection.ContextName, summary, null);
        }
        catch (KubeconfigException e)
        {
            return new KubeconfigInspectionResult(contexts, config.CurrentContext, chosen, null, e.Message);
        }
    }

    /// <summary>The file-valued fields the kubeconfig sets (names only, never values).</summary>
    private static List<string> FileReferences(string text)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root) return [];
            foreach (var (list, entry) in new[] { ("clusters", "cluster"), ("users", "user") })
            {
                if (!root.Children.TryGetValue(new YamlScalarNode(list), out var items) || items is not YamlSequenceNode sequence) continue;
                foreach (var item in sequence.Children.OfType<YamlMappingNode>())
                {
                    if (!item.Children.TryGetValue(new YamlScalarNode(entry), out var body) || body is not YamlMappingNode fields) continue;
                    foreach (var field in FileFields)
                        if (fields.Children.TryGetValue(new YamlScalarNode(field), out var value) && value is YamlScalarNode { Value: { Length: > 0 } })
                            found.Add(field);
                }
            }
        }
        catch (YamlException)
        {
            // Kubeconfig.Parse accepted it; what YamlStream cannot read has no file fields we could find either.
        }
        return [.. found];
    }
}
