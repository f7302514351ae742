using RecoveryConsole.Lab.ApiServer;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Transports.Kubernetes.Tests.Support;
using static RecoveryConsole.Transports.Kubernetes.Tests.Support.KubeconfigYaml;

namespace RecoveryConsole.Transports.Kubernetes.Tests.Client;

[Trait("Category", "Lab")]
public sealed class AuthenticationTests : IAsyncLifetime
{
    private LabHarness _lab = null!;

    public async Task InitializeAsync() => _lab = await LabHarness.StartAsync();

    public async Task DisposeAsync() => await _lab.DisposeAsync();

    private string Server => _lab.Server.Address.ToString().TrimEnd('/');
    private string TrustedCa => $"certificate-authority-data: {Base64(_lab.Server.Authority.CertificatePem)}";

    [Fact]
    public async Task Without_a_client_certificate_the_server_answers_a_typed_401()
    {
        var client = _lab.ClientFromText(Build(TrustedCa, "{}", server: Server));

        var error = await Assert.ThrowsAsync<KubernetesUnauthorizedException>(() => client.GetAsync(ResourceType.Nodes, null, "master-0"));

        Assert.Equal(401, error.StatusCode);
        Assert.Equal("Unauthorized", error.Reason);
        Assert.Contains("did not accept the credentials of kubeconfig user 'admin'", error.Message);
        Assert.Contains(_lab.Faults.Requests, r => r.User is null);
    }

    [Fact]
    public async Task A_client_certificate_from_another_authority_is_401_not_a_handshake_failure()
    {
        using var stranger = LabCertificateAuthority.Create("someone-elses-ca");
        var foreign = stranger.IssueClientCertificate("system:admin", ["system:masters"]);
        var client = _lab.ClientFromText(Build(TrustedCa,
            $"client-certificate-data: {Base64(foreign.CertificatePem)}\nclient-key-data: {Base64(foreign.PrivateKeyPem)}", server: Server));

        var response = await client.SendAsync(new ApiRequest("GET", "/api/v1/nodes"), CancellationToken.None);

        Assert.Equal(401, response.Status);
    }

    [Fact]
    public async Task The_written_kubeconfig_authenticates_by_client_certificate_in_RSA_and_EC()
    {
        foreach (var keyType in new[] { LabKeyType.Rsa, LabKeyType.Ecdsa })
        {
            var client = _lab.ClientFromText(_lab.Server.CreateKubeconfig(keyType: keyType));

            var version = await client.SendAsync(new ApiRequest("GET", "/version"), CancellationToken.None);

            Assert.Equal(200, version.Status);
            Assert.Contains("\"gitVersion\"", version.Body);
        }
        Assert.All(_lab.Faults.Requests, r => Assert.Equal("system:admin", r.User));
    }

    [Fact]
    public async Task A_kubeconfig_file_with_relative_paths_connects()
    {
        var credential = _lab.Server.Authority.IssueClientCertificate("system:admin", ["system:masters"]);
        File.WriteAllText(Path.Combine(_lab.Folder, "ca.crt"), _lab.Server.Authority.CertificatePem);
        File.WriteAllText(Path.Combine(_lab.Folder, "admin.crt"), credential.CertificatePem);
        File.WriteAllText(Path.Combine(_lab.Folder, "admin.key"), credential.PrivateKeyPem);
        var path = Path.Combine(_lab.Folder, "kubeconfig");
        File.WriteAllText(path, Build("certificate-authority: ca.crt", "client-certificate: admin.crt\nclient-key: admin.key", server: Server));
        var client = _lab.Own(KubernetesClient.FromKubeconfig(path, options: _lab.Options()));

        var node = await client.GetAsync(ResourceType.Nodes, null, "master-0");

        Assert.Equal("master-0", (string?)node["metadata"]?["name"]);
    }

    [Fact]
    public async Task The_server_writes_a_kubeconfig_file_only_its_owner_can_read()
    {
        var path = Path.Combine(_lab.Folder, "lab.kubeconfig");
        await _lab.Server.WriteKubeconfigAsync(path);
        var client = _lab.Own(KubernetesClient.FromKubeconfig(path, options: _lab.Options()));

        var nodes = await client.ListAsync(ResourceType.Nodes, null);

        Assert.Equal(5, nodes.Items.Count);
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public async Task A_bearer_token_authenticates_and_a_revoked_one_is_refused()
    {
        var token = _lab.Server.Users.AddToken("system:serviceaccount:openshift-etcd:recovery", "system:masters");
        var client = _lab.ClientFromText(_lab.Server.CreateTokenKubeconfig("recovery", token));

        var ok = await client.SendAsync(new ApiRequest("GET", "/api/v1/namespaces"), CancellationToken.None);
        _lab.Server.Users.RevokeToken(token);
        var refused = await client.SendAsync(new ApiRequest("GET", "/api/v1/namespaces"), CancellationToken.None);

        Assert.Equal(200, ok.Status);
        Assert.Equal(401, refused.Status);
        Assert.Equal("system:serviceaccount:openshift-etcd:recovery", _lab.Faults.Requests[0].User);
        Assert.DoesNotContain(token, client.ToString());
    }

    [Fact]
    public async Task A_server_certificate_the_kubeconfig_does_not_trust_fails_with_a_sentence()
    {
        using var stranger = LabCertificateAuthority.Create("someone-elses-ca");
        var token = _lab.Server.Users.AddToken("admin", "system:masters");
        var client = _lab.ClientFromText(Build($"certificate-authority-data: {Base64(stranger.CertificatePem)}", $"token: {token}", server: Server));

        var error = await Assert.ThrowsAsync<ApiUnreachableException>(() => client.SendAsync(new ApiRequest("GET", "/version"), CancellationToken.None));

        Assert.Contains("the TLS handshake failed: the server certificate is not signed by the certificate authority in the kubeconfig", error.Message);
        Assert.Empty(_lab.Faults.Requests); // nothing was sent: the token never left the client
    }

    [Fact]
    public async Task A_tls_server_name_the_certificate_does_not_carry_is_refused()
    {
        var token = _lab.Server.Users.AddToken("admin", "system:masters");
        var client = _lab.ClientFromText(Build($"{TrustedCa}\ntls-server-name: api.elsewhere.example", $"token: {token}", server: Server));

        var error = await Assert.ThrowsAsync<ApiUnreachableException>(() => client.SendAsync(new ApiRequest("GET", "/version"), CancellationToken.None));

        Assert.Contains("the server certificate is not valid for api.elsewhere.example (it names localhost, 127.0.0.1)", error.Message);
    }

    [Fact]
    public async Task A_tls_server_name_the_certificate_carries_is_accepted()
    {
        var token = _lab.Server.Users.AddToken("admin", "system:masters");
        // Reached at 127.0.0.1, checked as localhost (the test above shows the check uses this name, not the address).
        var client = _lab.ClientFromText(Build($"{TrustedCa}\ntls-server-name: localhost", $"token: {token}", server: Server));

        var version = await client.SendAsync(new ApiRequest("GET", "/version"), CancellationToken.None);

        Assert.Equal(200, version.Status);
    }

    [Fact]
    public async Task Insecure_skip_tls_verify_connects_and_keeps_its_warning()
    {
        var token = _lab.Server.Users.AddToken("admin", "system:masters");
        var client = _lab.ClientFromText(Build("insecure-skip-tls-verify: true", $"token: {token}", server: Server));

        var version = await client.SendAsync(new ApiRequest("GET", "/version"), CancellationToken.None);

        Assert.Equal(200, version.Status);
        Assert.Contains(client.Warnings, w => w.Contains("insecure-skip-tls-verify", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_user_without_rights_gets_a_typed_403()
    {
        var client = _lab.Client(user: "viewer", groups: ["lab-viewers"]);

        var nodes = await client.ListAsync(ResourceType.Nodes, null);
        var error = await Assert.ThrowsAsync<KubernetesForbiddenException>(() =>
            client.MergePatchAsync(ResourceType.Etcds, null, "cluster", System.Text.Json.Nodes.JsonNode.Parse("""{"spec":{"forceRedeploymentReason":"x"}}""")!));

        Assert.Equal(5, nodes.Items.Count);
        Assert.Equal("etcds.operator.openshift.io \"cluster\" is forbidden: User \"viewer\" cannot patch resource \"etcds\" in API group \"operator.openshift.io\" at the cluster scope", error.ServerMessage);
        Assert.Contains("recovery procedures need cluster-admin", error.Message);
    }
}
