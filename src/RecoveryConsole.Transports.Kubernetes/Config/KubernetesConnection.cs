using System.Security.Cryptography.X509Certificates;

namespace RecoveryConsole.Transports.Kubernetes.Config;

public enum CredentialKind { None, ClientCertificate, BearerToken }

/// <summary>
/// One kubeconfig context, resolved: where the API server is, how its certificate is checked, and who we are.
/// Holds the private key and token, so they stay internal; <see cref="ToString"/> names the credential, never its content.
/// <see cref="Warnings"/> are for the operator on every run that uses this connection (insecure TLS, expired certificates).
/// </summary>
public sealed class KubernetesConnection : IDisposable
{
    internal KubernetesConnection(
        string contextName, string clusterName, string userName, string defaultNamespace, Uri server,
        X509Certificate2Collection authorities, bool insecureSkipTlsVerify, string? tlsServerName, Uri? proxy,
        X509Certificate2? clientCertificate, BearerToken? token, IReadOnlyList<string> warnings)
    {
        ContextName = contextName;
        ClusterName = clusterName;
        UserName = userName;
        Namespace = defaultNamespace;
        Server = server;
        Authorities = authorities;
        InsecureSkipTlsVerify = insecureSkipTlsVerify;
        TlsServerName = tlsServerName;
        Proxy = proxy;
        ClientCertificate = clientCertificate;
        Token = token;
        Warnings = warnings;
    }

    public string ContextName { get; }
    public string ClusterName { get; }
    public string UserName { get; }

    /// <summary>The context's namespace, "default" when it names none.</summary>
    public string Namespace { get; }

    public Uri Server { get; }
    public bool InsecureSkipTlsVerify { get; }
    public string? TlsServerName { get; }
    public Uri? Proxy { get; }
    public IReadOnlyList<string> Warnings { get; }

    public CredentialKind Credential => ClientCertificate is not null ? CredentialKind.ClientCertificate
        : Token is not null ? CredentialKind.BearerToken : CredentialKind.None;

    /// <summary>The client certificate's subject (CN = user, O = groups), public information.</summary>
    public string? ClientCertificateSubject => ClientCertificate?.Subject;

    public DateTimeOffset? ClientCertificateExpires => ClientCertificate is null ? null : new DateTimeOffset(ClientCertificate.NotAfter.ToUniversalTime());

    /// <summary>The certificate authorities the kubeconfig trusts for this server (public certificates).</summary>
    public X509Certificate2Collection Authorities { get; }

    internal X509Certificate2? ClientCertificate { get; }
    internal BearerToken? Token { get; }

    public override string ToString()
    {
        var credential = Credential switch
        {
            CredentialKind.ClientCertificate => $"client certificate {ClientCertificateSubject}",
            CredentialKind.BearerToken => "bearer token",
            _ => "no credentials",
        };
        return $"context {ContextName}: user {UserName} ({credential}) at {Server}";
    }

    public void Dispose()
    {
        ClientCertificate?.Dispose();
        foreach (var authority in Authorities) authority.Dispose();
    }
}
