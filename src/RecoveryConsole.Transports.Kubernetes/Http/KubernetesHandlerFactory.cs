using System.Net;
using System.Security.Authentication;
using RecoveryConsole.Transports.Kubernetes.Config;

namespace RecoveryConsole.Transports.Kubernetes.Http;

/// <summary>Builds the one HTTP handler a client uses for REST calls, watches and exec upgrades, from a resolved kubeconfig context.</summary>
internal static class KubernetesHandlerFactory
{
    public static HttpMessageHandler Create(KubernetesConnection connection, ServerCertificateValidator validator, TimeSpan connectTimeout)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = connectTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5), // API server VIPs move during a recovery; do not pin a dead backend
            AllowAutoRedirect = false, // never carry credentials to wherever a redirect points
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        handler.SslOptions.RemoteCertificateValidationCallback = validator.Validate;
        handler.SslOptions.EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;
        if (connection.TlsServerName is { } serverName) handler.SslOptions.TargetHost = serverName;
        if (connection.ClientCertificate is { } certificate)
        {
            handler.SslOptions.ClientCertificates = [certificate];
            // Always present it: the server's list of acceptable issuers may not name the signer, and kube-apiserver decides anyway.
            handler.SslOptions.LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate;
        }

        if (connection.Proxy is { } proxy)
        {
            handler.Proxy = new WebProxy(proxy);
            handler.UseProxy = true;
        }
        else if (IsLoopback(connection.Server))
        {
            handler.UseProxy = false; // as Go's ProxyFromEnvironment: loopback is never proxied
        }

        return connection.Token is { } token ? new BearerTokenHandler(token, handler) : handler;
    }

    private static bool IsLoopback(Uri server) =>
        server.IsLoopback || (IPAddress.TryParse(server.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
