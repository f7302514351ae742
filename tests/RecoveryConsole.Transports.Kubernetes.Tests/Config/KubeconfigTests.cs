using RecoveryConsole.Lab.ApiServer;
using RecoveryConsole.Transports.Kubernetes.Config;
using RecoveryConsole.Transports.Kubernetes.Tests.Support;
using static RecoveryConsole.Transports.Kubernetes.Tests.Support.KubeconfigYaml;

namespace RecoveryConsole.Transports.Kubernetes.Tests.Config;

public sealed class KubeconfigTests : IDisposable
{
    private const string Token = "sha256~s3cr3t-t0ken-value-never-shown";

    private readonly LabCertificateAuthority _ca = LabCertificateAuthority.Create();
    private readonly string _folder = Directory.CreateTempSubdirectory("rc-kubeconfig-").FullName;

    public void Dispose()
    {
        _ca.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Theory]
    [InlineData(LabKeyType.Ecdsa, false)]
    [InlineData(LabKeyType.Ecdsa, true)]
    [InlineData(LabKeyType.Rsa, false)]
    [InlineData(LabKeyType.Rsa, true)]
    public void Inline_client_certificate_and_key_load_for_RSA_and_EC_in_every_PEM_form(LabKeyType keyType, bool pkcs8)
    {
        var credential = _ca.IssueClientCertificate("system:admin", ["system:masters"], keyType, pkcs8);
        var yaml = Build($"certificate-authority-data: {Base64(_ca.CertificatePem)}",
            $"client-certificate-data: {Base64(credential.CertificatePem)}\nclient-key-data: {Base64(credential.PrivateKeyPem)}", ns: "openshift-etcd");

        using var connection = Kubeconfig.Parse(yaml).Resolve();

        Assert.Equal(CredentialKind.ClientCertificate, connection.Credential);
        Assert.Contains("CN=system:admin", connection.ClientCertificateSubject);
        Assert.True(connection.ClientCertificate!.HasPrivateKey);
        Assert.Equal("openshift-etcd", connection.Namespace);
        Assert.Equal(new Uri("https://127.0.0.1:6443"), connection.Server);
        Assert.Single(connection.Authorities);
        Assert.Empty(connection.Warnings);
    }

    [Fact]
    public void Files_named_by_relative_paths_are_read_from_the_kubeconfig_folder()
    {
        var credential = _ca.IssueClientCertificate("system:admin", ["system:masters"]);
        Directory.CreateDirectory(Path.Combine(_folder, "pki"));
        File.WriteAllText(Path.Combine(_folder, "pki", "ca.crt"), _ca.CertificatePem);
        File.WriteAllText(Path.Combine(_folder, "pki", "admin.crt"), credential.CertificatePem);
        File.WriteAllText(Path.Combine(_folder, "pki", "admin.key"), credential.PrivateKeyPem);
        var path = Path.Combine(_folder, "kubeconfig");
        File.WriteAllText(path, Build("certificate-authority: pki/ca.crt", "client-certificate: pki/admin.crt\nclient-key: pki/admin.key"));

        var config = Kubeconfig.Load(path);
        using var connection = config.Resolve();

        Assert.Equal(path, config.Source);
        Assert.Equal(CredentialKind.ClientCertificate, connection.Credential);
        Assert.Equal(_ca.Certificate.Thumbprint, connection.Authorities[0].Thumbprint);
        Assert.Equal("default", connection.Namespace);
    }

    [Fact]
    public void A_token_is_used_and_never_printed()
    {
        var yaml = Build($"certificate-authority-data: {Base64(_ca.CertificatePem)}", $"token: {Token}");

        var config = Kubeconfig.Parse(yaml);
        using var connection = config.Resolve();

        Assert.Equal(CredentialKind.BearerToken, connection.Credential);
        Assert.Equal(Token, connection.Token!.Value());
        Assert.DoesNotContain(Token, connection.ToString());
        Assert.DoesNotContain(Token, connection.Token.ToString());
        Assert.DoesNotContain(Token, config.ToString());
        Assert.Contains("bearer token", connection.ToString());
    }

    [Fact]
    public void A_token_file_is_read_again_when_it_is_rotated()
    {
        var tokenPath = Path.Combine(_folder, "token");
        File.WriteAllText(tokenPath, "first-token\n");
        var yaml = Build("insecure-skip-tls-verify: true", $"tokenFile: {tokenPath}");
        using var connection = Kubeconfig.Parse(yaml).Resolve();
        Assert.Equal("first-token", connection.Token!.Value());

        File.WriteAllText(tokenPath, "second-token");
        File.SetLastWriteTimeUtc(tokenPath, DateTime.UtcNow.AddMinutes(1));

        Assert.Equal("second-token", connection.Token.Value());
    }

    [Fact]
    public void Insecure_skip_tls_verify_is_allowed_but_warned_about()
    {
        using var connection = Kubeconfig.Parse(Build("insecure-skip-tls-verify: true", $"token: {Token}")).Resolve();

        Assert.True(connection.InsecureSkipTlsVerify);
        var warning = Assert.Single(connection.Warnings);
        Assert.Contains("TLS verification is off for cluster 'lab'", warning);
    }

    [Fact]
    public void An_expired_client_certificate_is_warned_about()
    {
        var expired = _ca.IssueClientCertificate("system:admin", ["system:masters"], notBefore: DateTimeOffset.UtcNow.AddDays(-30), notAfter: DateTimeOffset.UtcNow.AddDays(-1));
        var yaml = Build($"certificate-authority-data: {Base64(_ca.CertificatePem)}",
            $"client-certificate-data: {Base64(expired.CertificatePem)}\nclient-key-data: {Base64(expired.PrivateKeyPem)}");

        using var connection = Kubeconfig.Parse(yaml).Resolve();

        Assert.Contains(connection.Warnings, w => w.StartsWith("The client certificate of user 'admin' expired on", StringComparison.Ordinal));
    }

    [Fact]
    public void A_user_without_credentials_is_anonymous_with_a_warning()
    {
        using var connection = Kubeconfig.Parse(Build($"certificate-authority-data: {Base64(_ca.CertificatePem)}", "{}")).Resolve();

        Assert.Equal(CredentialKind.None, connection.Credential);
        Assert.Contains(connection.Warnings, w => w.Contains("has no credentials", StringComparison.Ordinal));
    }

    [Fact]
    public void Another_context_can_be_chosen_by_name()
    {
        var yaml = Build("insecure-skip-tls-verify: true", $"token: {Token}", currentContext: null) + "\n";
        var config = Kubeconfig.Parse(yaml);

        var error = Assert.Throws<KubeconfigException>(() => config.Resolve());
        using var connection = config.Resolve("admin");

        Assert.Contains("has no current-context; choose one of: admin", error.Message);
        Assert.Equal("admin", connection.ContextName);
    }

    public static TheoryData<string, string> Malformed => new()
    {
        { "", "is empty" },
        { "clusters: [", "is not a valid kubeconfig (line" },
        { "apiVersion: v1\nkind: Secret\ndata: {}", "is a Secret, not a kubeconfig" },
        { "apiVersion: v1\nkind: Config\nclusters: []", "defines no contexts" },
        { Build("insecure-skip-tls-verify: true", "token: x", currentContext: "nope"), "has no context 'nope'; it defines: admin" },
        { Build("insecure-skip-tls-verify: true", "token: x").Replace("cluster: lab", "cluster: gone"), "names cluster 'gone', which is not defined in it" },
        { Build("insecure-skip-tls-verify: true", "token: x").Replace("user: admin", "user: ghost"), "names user 'ghost', which is not defined in it" },
        { Build("insecure-skip-tls-verify: true", "token: x", server: "ftp://127.0.0.1"), "the server 'ftp://127.0.0.1', which is not an https:// URL" },
        { Build("certificate-authority-data: not*base64", "token: x"), "the certificate authority of cluster 'lab' that is not valid base64" },
        { Build($"certificate-authority-data: {Base64("hello")}", "token: x"), "without any PEM certificate" },
        { Build("certificate-authority: /nonexistent/ca.crt", "token: x"), "in the file /nonexistent/ca.crt, which does not exist" },
        { Build($"certificate-authority-data: {Base64("x")}\ninsecure-skip-tls-verify: true", "token: x"), "both a certificate authority and insecure-skip-tls-verify" },
        { Build("insecure-skip-tls-verify: true", "exec: {command: aws, apiVersion: client.authentication.k8s.io/v1}"), "from the exec plugin 'aws', which RecoveryConsole does not run" },
        { Build("insecure-skip-tls-verify: true", "username: admin\npassword: hunter2"), "basic authentication is not supported" },
        { Build("insecure-skip-tls-verify: true", "token: x").Replace("contexts:\n", "contexts:\n- {name: admin, context: {cluster: lab}}\n"), "defines context 'admin' twice" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void A_malformed_kubeconfig_is_refused_with_a_clear_sentence(string yaml, string expected)
    {
        var error = Assert.Throws<KubeconfigException>(() => Kubeconfig.Parse(yaml).Resolve());

        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain("hunter2", error.Message);
    }

    [Fact]
    public void A_client_certificate_without_its_key_is_refused()
    {
        var credential = _ca.IssueClientCertificate("system:admin", ["system:masters"]);
        var yaml = Build("insecure-skip-tls-verify: true", $"client-certificate-data: {Base64(credential.CertificatePem)}");

        var error = Assert.Throws<KubeconfigException>(() => Kubeconfig.Parse(yaml).Resolve());

        Assert.Contains("gives user 'admin' a client certificate but no client key", error.Message);
    }

    [Fact]
    public void A_key_of_another_certificate_is_refused_without_showing_either()
    {
        var mine = _ca.IssueClientCertificate("system:admin", ["system:masters"]);
        var other = _ca.IssueClientCertificate("someone", []);
        var yaml = Build("insecure-skip-tls-verify: true",
            $"client-certificate-data: {Base64(mine.CertificatePem)}\nclient-key-data: {Base64(other.PrivateKeyPem)}");

        var error = Assert.Throws<KubeconfigException>(() => Kubeconfig.Parse(yaml).Resolve());

        Assert.Contains("holds a client key for user 'admin' that does not belong to its client certificate", error.Message);
        Assert.DoesNotContain(Base64(other.PrivateKeyPem)[..40], error.ToString());
        Assert.DoesNotContain("PRIVATE KEY", error.ToString());
    }

    [Fact]
    public void An_RSA_certificate_with_an_EC_key_is_refused()
    {
        var rsa = _ca.IssueClientCertificate("system:admin", ["system:masters"], LabKeyType.Rsa);
        var ec = _ca.IssueClientCertificate("system:admin", ["system:masters"], LabKeyType.Ecdsa);
        var yaml = Build("insecure-skip-tls-verify: true",
            $"client-certificate-data: {Base64(rsa.CertificatePem)}\nclient-key-data: {Base64(ec.PrivateKeyPem)}");

        var error = Assert.Throws<KubeconfigException>(() => Kubeconfig.Parse(yaml).Resolve());

        Assert.Contains("is not an RSA private key, although its certificate is RSA", error.Message);
    }

    [Fact]
    public void A_token_in_the_wrong_place_is_not_repeated_in_the_error()
    {
        var yaml = Build("insecure-skip-tls-verify: true", $"token: [{Token}]");

        var error = Assert.Throws<KubeconfigException>(() => Kubeconfig.Parse(yaml));

        Assert.Contains("is not a valid kubeconfig (line", error.Message);
        Assert.DoesNotContain(Token, error.ToString());
    }

    [Fact]
    public void A_missing_kubeconfig_file_is_named()
    {
        var path = Path.Combine(_folder, "absent");

        var error = Assert.Throws<KubeconfigException>(() => Kubeconfig.Load(path));

        Assert.Equal($"The kubeconfig file {path} does not exist.", error.Message);
    }
}
