using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace RecoveryConsole.Transports.Kubernetes.Config;

/// <summary>Turns PEM bytes from a kubeconfig into certificates; errors name the item, never its content.</summary>
internal static class PemCredentials
{
    public static X509Certificate2Collection Authorities(byte[] data, Func<string, KubeconfigException> problem, string what)
    {
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPem(Encoding.UTF8.GetString(data));
        }
        catch (CryptographicException)
        {
            throw problem($"holds {what} that is not a valid PEM certificate");
        }
        if (certificates.Count == 0) throw problem($"holds {what} without any PEM certificate (-----BEGIN CERTIFICATE-----)");
        return certificates;
    }

    /// <summary>The client certificate with its private key (RSA or EC; PKCS#1, SEC1 or PKCS#8), ready for TLS.</summary>
    public static X509Certificate2 ClientCertificate(byte[] certificateData, byte[] keyData, Func<string, KubeconfigException> problem, string user)
    {
        X509Certificate2 leaf;
        try
        {
            leaf = X509Certificate2.CreateFromPem(Encoding.UTF8.GetString(certificateData));
        }
        catch (CryptographicException)
        {
            throw problem($"holds a client certificate for user '{user}' that is not a valid PEM certificate");
        }

        using (leaf)
        {
            var keyText = Encoding.UTF8.GetString(keyData);
            if (keyText.Contains("ENCRYPTED PRIVATE KEY", StringComparison.Ordinal))
                throw problem($"holds an encrypted client key for user '{user}'; a kubeconfig key must not have a passphrase");
            if (!PemEncoding.TryFind(keyText, out _))
                throw problem($"holds a client key for user '{user}' that is not a PEM private key");

            X509Certificate2 withKey;
            if (leaf.GetRSAPublicKey() is { } rsaPublic)
            {
                rsaPublic.Dispose();
                using var rsa = RSA.Create();
                Import(() => rsa.ImportFromPem(keyText), problem, user, "RSA");
                withKey = Attach(() => leaf.CopyWithPrivateKey(rsa), problem, user);
            }
            else if (leaf.GetECDsaPublicKey() is { } ecPublic)
            {
                ecPublic.Dispose();
                using var ec = ECDsa.Create();
                Import(() => ec.ImportFromPem(keyText), problem, user, "EC");
                withKey = Attach(() => leaf.CopyWithPrivateKey(ec), problem, user);
            }
            else
            {
                throw problem($"holds a client certificate for user '{user}' with a {leaf.PublicKey.Oid.FriendlyName ?? leaf.PublicKey.Oid.Value} key; only RSA and EC keys are supported");
            }

            // Through PKCS#12 so the key is usable by SslStream on every platform, not only as an ephemeral key.
            using (withKey)
            {
                return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
            }
        }
    }

    private static void Import(Action import, Func<string, KubeconfigException> problem, string user, string type)
    {
        try
        {
            import();
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            throw problem($"holds a client key for user '{user}' that is not an {type} private key, although its certificate is {type}");
        }
    }

    private static X509Certificate2 Attach(Func<X509Certificate2> attach, Func<string, KubeconfigException> problem, string user)
    {
        try
        {
            return attach();
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            throw problem($"holds a client key for user '{user}' that does not belong to its client certificate");
        }
    }
}
