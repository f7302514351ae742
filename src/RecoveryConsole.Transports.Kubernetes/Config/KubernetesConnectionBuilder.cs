using System.Globalization;
using System.Security.Cryptography.X509Certificates;

namespace RecoveryConsole.Transports.Kubernetes.Config;

/// <summary>Checks one context's cluster and user entries and loads what they point to, collecting warnings on the way.</summary>
internal static class KubernetesConnectionBuilder
{
    private static readonly TimeSpan ExpirySoon = TimeSpan.FromDays(1);

    public static KubernetesConnection Build(
        string contextName, ContextEntry context, string clusterName, ClusterEntry cluster, string userName, UserEntry user,
        KubeconfigFiles files, TimeProvider time)
    {
        var config = files.Config;
        var warnings = new List<string>();
        var now = time.GetUtcNow();

        if (string.IsNullOrWhiteSpace(cluster.Server)) throw config.Problem($"gives cluster '{clusterName}' no server address");
        if (!Uri.TryCreate(cluster.Server.Trim(), UriKind.Absolute, out var server) || server.Scheme is not ("https" or "http"))
            throw config.Problem($"gives cluster '{clusterName}' the server '{cluster.Server}', which is not an https:// URL");
        if (server.Scheme == "http")
            warnings.Add($"Cluster '{clusterName}' is reached over plain http ({server}): credentials and data travel unencrypted.");

        var caData = files.Read(cluster.CertificateAuthorityData, cluster.CertificateAuthority, $"the certificate authority of cluster '{clusterName}'");
        if (cluster.InsecureSkipTlsVerify && caData is not null)
            throw config.Problem($"gives cluster '{clusterName}' both a certificate authority and insecure-skip-tls-verify; kubectl refuses that too, remove one");
        var authorities = caData is null ? [] : PemCredentials.Authorities(caData, config.Problem, $"the certificate authority of cluster '{clusterName}'");
        if (cluster.InsecureSkipTlsVerify)
        {
            warnings.Add($"TLS verification is off for cluster '{clusterName}' (insecure-skip-tls-verify): the console cannot tell its API server from an impostor.");
        }
        foreach (var authority in authorities) WarnIfExpired(authority, $"A certificate authority of cluster '{clusterName}' ({authority.Subject})", now, warnings);

        Uri? proxy = null;
        if (!string.IsNullOrWhiteSpace(cluster.ProxyUrl)
            && (!Uri.TryCreate(cluster.ProxyUrl, UriKind.Absolute, out proxy) || proxy.Scheme is not ("http" or "https" or "socks5")))
            throw config.Problem($"gives cluster '{clusterName}' the proxy-url '{cluster.ProxyUrl}', which is not an http, https or socks5 URL");

        var (certificate, token) = Credentials(userName, user, files, warnings);
        if (certificate is not null) WarnIfExpired(certificate, $"The client certificate of user '{userName}'", now, warnings);
        if (certificate is null && token is null)
            warnings.Add($"User '{(userName.Length == 0 ? "(none)" : userName)}' has no credentials: requests are anonymous and the API server will refuse most of them.");

        var ns = string.IsNullOrWhiteSpace(context.Namespace) ? "default" : context.Namespace;
        var tlsServerName = string.IsNullOrWhiteSpace(cluster.TlsServerName) ? null : cluster.TlsServerName.Trim();
        return new KubernetesConnection(contextName, clusterName, userName, ns, server, authorities, cluster.InsecureSkipTlsVerify,
            tlsServerName, proxy, certificate, token, warnings);
    }

    private static (X509Certificate2? Certificate, BearerToken? Token) Credentials(string userName, UserEntry user, KubeconfigFiles files, List<string> warnings)
    {
        var config = files.Config;
        var certificateData = files.Read(user.ClientCertificateData, user.ClientCertificate, $"the client certificate of user '{userName}'");
        var keyData = files.Read(user.ClientKeyData, user.ClientKey, $"the client key of user '{userName}'");
        if (certificateData is not null && keyData is null) throw config.Problem($"gives user '{userName}' a client certificate but no client key");
        if (keyData is not null && certificateData is null) throw config.Problem($"gives user '{userName}' a client key but no client certificate");
        var certificate = certificateData is null ? null : PemCredentials.ClientCertificate(certificateData, keyData!, config.Problem, userName);

        BearerToken? token = null;
        if (!string.IsNullOrWhiteSpace(user.Token)) token = BearerToken.Inline(user.Token);
        else if (!string.IsNullOrWhiteSpace(user.TokenFile))
        {
            var path = files.Existing(user.TokenFile, $"the token file of user '{userName}'");
            try
            {
                token = BearerToken.FromFile(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new KubeconfigException($"The kubeconfig {config.Source} names the token file {path} for user '{userName}', which could not be read: {e.Message}", e);
            }
        }

        var plugin = user.Exec is not null ? $"the exec plugin {Describe(user.Exec.GetValueOrDefault("command"))}"
            : user.AuthProvider is not null ? $"the auth provider {Describe(user.AuthProvider.GetValueOrDefault("name"))}" : null;
        if (plugin is not null)
        {
            if (certificate is null && token is null)
            {
                throw config.Problem(
                    $"gets the credentials of user '{userName}' from {plugin}, which RecoveryConsole does not run; use a kubeconfig with a client certificate or a token (the installer's auth/kubeconfig, or `oc login` then `oc config view --raw --minify`)");
            }
            warnings.Add($"User '{userName}' also names {plugin}; it is ignored, the static credentials are used.");
        }
        if (!string.IsNullOrEmpty(user.Username) || !string.IsNullOrEmpty(user.Password))
        {
            if (certificate is null && token is null)
                throw config.Problem($"gives user '{userName}' a username and password; basic authentication is not supported by Kubernetes or OpenShift, use a token or a client certificate");
            warnings.Add($"User '{userName}' also has a username and password; they are ignored.");
        }
        if (certificate is not null && token is not null)
            warnings.Add($"User '{userName}' has both a client certificate and a token; the API server decides by the certificate first.");
        return (certificate, token);
    }

    private static void WarnIfExpired(X509Certificate2 certificate, string what, DateTimeOffset now, List<string> warnings)
    {
        var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime());
        var notBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime());
        if (notAfter <= now)
            warnings.Add($"{what} expired on {Format(notAfter)}: the API server will refuse it.");
        else if (notBefore > now)
            warnings.Add($"{what} is valid only from {Format(notBefore)}: check this machine's clock.");
        else if (notAfter - now < ExpirySoon)
            warnings.Add($"{what} expires on {Format(notAfter)}, in less than a day.");
    }

    private static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string Describe(object? value) => value is string { Length: > 0 } text ? $"'{text}'" : "(unnamed)";
}
