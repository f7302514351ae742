using YamlDotNet.Serialization;

namespace RecoveryConsole.Transports.Kubernetes.Config;

// The kubeconfig file format (clientcmd v1) as YAML sees it; unknown keys (preferences, extensions) are ignored.
// Mutable because YamlDotNet fills them; only Kubeconfig reads them.
internal sealed class KubeconfigDocument
{
    [YamlMember(Alias = "apiVersion")] public string? ApiVersion { get; set; }
    [YamlMember(Alias = "kind")] public string? Kind { get; set; }
    [YamlMember(Alias = "clusters")] public List<NamedCluster?>? Clusters { get; set; }
    [YamlMember(Alias = "users")] public List<NamedUser?>? Users { get; set; }
    [YamlMember(Alias = "contexts")] public List<NamedContext?>? Contexts { get; set; }
    [YamlMember(Alias = "current-context")] public string? CurrentContext { get; set; }
}

internal sealed class NamedCluster
{
    [YamlMember(Alias = "name")] public string? Name { get; set; }
    [YamlMember(Alias = "cluster")] public ClusterEntry? Cluster { get; set; }
}

internal sealed class ClusterEntry
{
    [YamlMember(Alias = "server")] public string? Server { get; set; }
    [YamlMember(Alias = "certificate-authority")] public string? CertificateAuthority { get; set; }
    [YamlMember(Alias = "certificate-authority-data")] public string? CertificateAuthorityData { get; set; }
    [YamlMember(Alias = "insecure-skip-tls-verify")] public bool InsecureSkipTlsVerify { get; set; }
    [YamlMember(Alias = "tls-server-name")] public string? TlsServerName { get; set; }
    [YamlMember(Alias = "proxy-url")] public string? ProxyUrl { get; set; }
}

internal sealed class NamedUser
{
    [YamlMember(Alias = "name")] public string? Name { get; set; }
    [YamlMember(Alias = "user")] public UserEntry? User { get; set; }
}

internal sealed class UserEntry
{
    [YamlMember(Alias = "client-certificate")] public string? ClientCertificate { get; set; }
    [YamlMember(Alias = "client-certificate-data")] public string? ClientCertificateData { get; set; }
    [YamlMember(Alias = "client-key")] public string? ClientKey { get; set; }
    [YamlMember(Alias = "client-key-data")] public string? ClientKeyData { get; set; }
    [YamlMember(Alias = "token")] public string? Token { get; set; }
    [YamlMember(Alias = "tokenFile")] public string? TokenFile { get; set; }
    [YamlMember(Alias = "username")] public string? Username { get; set; }
    [YamlMember(Alias = "password")] public string? Password { get; set; }
    [YamlMember(Alias = "exec")] public Dictionary<string, object?>? Exec { get; set; }
    [YamlMember(Alias = "auth-provider")] public Dictionary<string, object?>? AuthProvider { get; set; }
}

internal sealed class NamedContext
{
    [YamlMember(Alias = "name")] public string? Name { get; set; }
    [YamlMember(Alias = "context")] public ContextEntry? Context { get; set; }
}

internal sealed class ContextEntry
{
    [YamlMember(Alias = "cluster")] public string? Cluster { get; set; }
    [YamlMember(Alias = "user")] public string? User { get; set; }
    [YamlMember(Alias = "namespace")] public string? Namespace { get; set; }
}
