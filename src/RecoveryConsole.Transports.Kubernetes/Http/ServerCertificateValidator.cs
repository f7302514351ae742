using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace RecoveryConsole.Transports.Kubernetes.Http;

/// <summary>
/// Checks the API server's certificate as kubectl does: against the kubeconfig's CA bundle when it has one (else the
/// system's roots), for the server's host name or <c>tls-server-name</c>. Remembers why it last refused, so a failed
/// handshake can be explained in one sentence instead of "the SSL connection could not be established".
/// </summary>
internal sealed class ServerCertificateValidator(X509Certificate2Collection authorities, string? serverName, bool insecure)
{
    private volatile string? _lastRejection;

    public string? LastRejection => _lastRejection;

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (insecure) return true; // the operator chose this; the connection carries a warning on every run
        if (certificate is null) return Reject("the server presented no certificate");
        var server = certificate as X509Certificate2 ?? new X509Certificate2(certificate);

        var nameOk = serverName is null
            ? (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0
            : server.MatchesHostname(serverName, allowWildcards: true, allowCommonName: false);
        if (!nameOk)
            return Reject($"the server certificate is not valid for {serverName ?? "the server's address"} (it names {Names(server)})");

        if (authorities.Count == 0)
        {
            return (errors & SslPolicyErrors.RemoteCertificateChainErrors) == 0
                || Reject($"the server certificate is not trusted by this machine's certificate authorities ({Status(chain)}) and the kubeconfig names none");
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(authorities);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
            {
                if (!ReferenceEquals(element.Certificate, server)) custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }
        if (custom.Build(server)) return Accept();

        var status = custom.ChainStatus.Select(s => s.Status).ToList();
        return Reject(status.Contains(X509ChainStatusFlags.NotTimeValid)
            ? $"the server certificate is expired or not yet valid (valid {server.NotBefore.ToUniversalTime():yyyy-MM-dd} to {server.NotAfter.ToUniversalTime():yyyy-MM-dd} UTC)"
            : $"the server certificate is not signed by the certificate authority in the kubeconfig ({string.Join(", ", status)})");
    }

    private bool Accept()
    {
        _lastRejection = null;
        return true;
    }

    private bool Reject(string reason)
    {
        _lastRejection = reason;
        return false;
    }

    private static string Status(X509Chain? chain) =>
        chain is null ? "no chain" : string.Join(", ", chain.ChainStatus.Select(s => s.Status).Distinct());

    private static string Names(X509Certificate2 certificate)
    {
        var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>()
            .SelectMany(e => e.EnumerateDnsNames().Concat(e.EnumerateIPAddresses().Select(a => a.ToString())))
            .ToList();
        return names.Count == 0 ? certificate.Subject : string.Join(", ", names);
    }
}
