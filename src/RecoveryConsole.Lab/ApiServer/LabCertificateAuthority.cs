using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RecoveryConsole.Lab.ApiServer;

/// <summary>The key types kubeconfigs carry: RSA (PKCS#1 "RSA PRIVATE KEY") and EC (SEC1 "EC PRIVATE KEY"), or either as PKCS#8.</summary>
public enum LabKeyType { Rsa, Ecdsa }

/// <summary>A client certificate and its key as PEM text, the way a kubeconfig holds them.</summary>
public sealed class LabClientCredential(string certificatePem, string privateKeyPem)
{
    public string CertificatePem { get; } = certificatePem;
    public string PrivateKeyPem { get; } = privateKeyPem;

    public override string ToString() => "client certificate (key redacted)";
}

/// <summary>
/// A throw-away certificate authority for one lab API server: it signs the server's certificate (127.0.0.1, localhost)
/// and the client certificates users present (CN = user name, O = groups), as kube-apiserver's client CA does.
/// </summary>
public sealed class LabCertificateAuthority : IDisposable
{
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");

    private readonly X509Certificate2 _ca;

    private LabCertificateAuthority(X509Certificate2 ca)
    {
        _ca = ca;
        CertificatePem = ca.ExportCertificatePem();
    }

    /// <summary>The CA certificate (public part), as <c>certificate-authority-data</c> carries it.</summary>
    public string CertificatePem { get; }

    public X509Certificate2 Certificate => _ca;

    public static LabCertificateAuthority Create(string commonName = "lab-kube-apiserver-ca")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}, OU=RecoveryConsole lab", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 1, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        // Valid from a year back, so drills can issue client certificates that have already expired.
        using var created = request.CreateSelfSigned(now.AddYears(-1), now.AddYears(1));
        return new LabCertificateAuthority(Reload(created));
    }

    /// <summary>The serving certificate for the given loopback names, with its private key.</summary>
    public X509Certificate2 IssueServerCertificate(IEnumerable<string> dnsNames, IEnumerable<IPAddress> addresses)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=lab-kube-apiserver", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var dns in dnsNames) names.AddDnsName(dns);
        foreach (var address in addresses) names.AddIpAddress(address);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ServerAuth], false));
        var now = DateTimeOffset.UtcNow;
        using var issued = Sign(request, now.AddMinutes(-5), now.AddYears(1));
        using var withKey = issued.CopyWithPrivateKey(key);
        return Reload(withKey);
    }

    /// <summary>A client certificate for <paramref name="user"/> in <paramref name="groups"/>; validity defaults to 30 days from now.</summary>
    public LabClientCredential IssueClientCertificate(
        string user, IEnumerable<string> groups, LabKeyType keyType = LabKeyType.Ecdsa, bool pkcs8 = false,
        DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(user);
        ArgumentNullException.ThrowIfNull(groups);
        var subject = new X500DistinguishedNameBuilder();
        foreach (var group in groups) subject.AddOrganizationName(group);
        subject.AddCommonName(user);
        var now = DateTimeOffset.UtcNow;
        var from = notBefore ?? now.AddMinutes(-5);
        var until = notAfter ?? now.AddDays(30);

        if (keyType == LabKeyType.Rsa)
        {
            using var rsa = RSA.Create(2048);
            var request = new CertificateRequest(subject.Build(), rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var issued = Sign(ClientRequest(request), from, until);
            return new LabClientCredential(issued.ExportCertificatePem(), pkcs8 ? rsa.ExportPkcs8PrivateKeyPem() : rsa.ExportRSAPrivateKeyPem());
        }
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var ecRequest = new CertificateRequest(subject.Build(), ec, HashAlgorithmName.SHA256);
        using var ecIssued = Sign(ClientRequest(ecRequest), from, until);
        return new LabClientCredential(ecIssued.ExportCertificatePem(), pkcs8 ? ec.ExportPkcs8PrivateKeyPem() : ec.ExportECPrivateKeyPem());
    }

    /// <summary>True when <paramref name="certificate"/> chains to this CA, is valid now and may authenticate clients.</summary>
    public bool Verifies(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(ClientAuth);
        return chain.Build(certificate);
    }

    public void Dispose() => _ca.Dispose();

    private static CertificateRequest ClientRequest(CertificateRequest request)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ClientAuth], false));
        return request;
    }

    private X509Certificate2 Sign(CertificateRequest request, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_ca, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F; // a positive serial number, as RFC 5280 asks
        // An explicit generator: the CA's key is EC, the subject's may be RSA.
        using var key = _ca.GetECDsaPrivateKey() ?? throw new InvalidOperationException("The lab CA has no private key.");
        return request.Create(_ca.SubjectName, X509SignatureGenerator.CreateForECDsa(key), notBefore, notAfter, serial);
    }

    // Through PKCS#12, so the key is a persisted one that SslStream can use on every platform.
    private static X509Certificate2 Reload(X509Certificate2 certificate) =>
        X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
}
