using System.Text;
using RecoveryConsole.Clusters.Registration;
using RecoveryConsole.Clusters.Tests.Support;
using RecoveryConsole.Lab.Clusters;
using RecoveryConsole.Orchestration.Approvals;
using RecoveryConsole.Orchestration.Audit;
using RecoveryConsole.Orchestration.Clusters;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Transports.Ssh.Keys;

namespace RecoveryConsole.Clusters.Tests.Registration;

/// <summary>Registering, changing and removing real clusters: checked first, stored encrypted, audited, visible to the engine.</summary>
public sealed class ClusterRegistrationTests : IAsyncLifetime
{
    private ClustersHost _console = null!;

    public async Task InitializeAsync() => _console = await ClustersHost.StartAsync();

    public async Task DisposeAsync() => await _console.DisposeAsync();

    private async Task<ClusterRegistrationException> RefusedAsync(ClusterRegistrationRequest request)
    {
        var e = await Assert.ThrowsAsync<ClusterRegistrationException>(() => _console.Registration.SaveAsync(request, ClustersHost.Olivia, CancellationToken.None));
        // Nothing of a refused registration is stored: no definition, no secret, no key, no audit entry.
        Assert.Empty(await _console.Get<IClusterDefinitions>().ListAsync(CancellationToken.None));
        Assert.Empty(await _console.ColumnAsync("Secrets", "Id"));
        Assert.Empty(await _console.Get<ISshKeyStore>().ListAsync(CancellationToken.None));
        Assert.Empty(await _console.AuditAsync(AuditKinds.ClusterRegistered));
        return e;
    }

    [Fact]
    public async Task A_host_list_without_a_control_plane_host_is_refused()
    {
        var e = await RefusedAsync(Requests.Prod(kubeconfig: Requests.TokenKubeconfig()) with
        {
            Hosts = [new HostInfo("worker-0", "10.0.0.20", [HostRoles.Worker])],
        });

        var problem = Assert.Single(e.Details);
        Assert.Equal(RegistrationFields.Hosts, problem.Field);
        Assert.Equal("Hosts: no host has the control-plane role; recovery steps run on control-plane hosts.", problem.Message);
    }

    [Fact]
    public async Task Duplicate_hosts_are_refused()
    {
        var e = await RefusedAsync(Requests.Prod(kubeconfig: Requests.TokenKubeconfig()) with
        {
            Hosts = [.. Requests.ThreeMasters(), new HostInfo("master-1", "10.0.0.99", [HostRoles.ControlPlane])],
        });

        Assert.Equal(["Hosts: 'master-1' appears 2 times; each node once."], e.For(RegistrationFields.Hosts));
    }

    [Fact]
    public async Task Every_problem_is_reported_at_once_with_its_field()
    {
        var e = await RefusedAsync(new ClusterRegistrationRequest
        {
            Name = "Prod_East",
            Hosts = [new HostInfo("master-0", "", [HostRoles.ControlPlane]), new HostInfo("Bad Name", "10.0.0.1", ["infra"])],
            SshUser = "-oProxyCommand=evil",
            SshPort = 70000,
            JumpHost = "bastion example",
            Kubeconfigs = new Dictionary<string, string> { ["cluster"] = "clusters: [oops" },
        });

        Assert.Equal(
            ["Name: 'Prod_East' is not a cluster name: lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters."],
            e.For(RegistrationFields.Name));
        Assert.Contains("Hosts: master-0 needs an address (an IP address or DNS name).", e.For(RegistrationFields.Hosts));
        Assert.Contains("Hosts: 'Bad Name' is not a node name (lowercase letters, digits, '-' and '.').", e.For(RegistrationFields.Hosts));
        Assert.Contains("Hosts: Bad Name has unknown role 'infra'.", e.For(RegistrationFields.Hosts));
        Assert.Equal(["SSH user: '-oProxyCommand=evil' is not a valid user name.", "SSH port: 70000 is not a port (1-65535)."], e.For(RegistrationFields.Ssh));
        Assert.Equal(["Jump host: Jump host 'bastion example' is not of the form user@host:port."], e.For(RegistrationFields.JumpHost));
        var kubeconfig = Assert.Single(e.For(RegistrationFields.Kubeconfig(ApiRoles.Cluster)));
        Assert.Equal("The kubeconfig for the cluster role is not a valid kubeconfig (line 2, column 1): While parsing a flow sequence, did not find expected ',' or ']'.", kubeconfig);
    }

    [Fact]
    public async Task A_kubeconfig_whose_context_does_not_exist_or_that_names_files_is_refused()
    {
        var e = await RefusedAsync(Requests.Prod(kubeconfig: Requests.TokenKubeconfig()) with
        {
            Contexts = new Dictionary<string, string> { ["cluster"] = "nope" },
        });
        Assert.Equal(["The kubeconfig for the cluster role has no context 'nope'; it defines: admin, other."], e.For(RegistrationFields.Kubeconfig("cluster")));

        var withFiles = Requests.TokenKubeconfig().Replace($"token: {Requests.Token}", "tokenFile: /etc/shadow", StringComparison.Ordinal);
        e = await RefusedAsync(Requests.Prod(kubeconfig: withFiles));
        var problem = Assert.Single(e.For(RegistrationFields.Kubeconfig("cluster")));
        Assert.StartsWith("The kubeconfig for the cluster role names files (tokenFile); the console stores the kubeconfig itself", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_private_key_ssh_cannot_read_or_a_missing_passphrase_is_refused_without_echoing_the_key()
    {
        const string garbage = "-----BEGIN OPENSSH PRIVATE KEY-----\nbm90IGEga2V5IGF0IGFsbA==\n-----END OPENSSH PRIVATE KEY-----\n";
        var e = await RefusedAsync(Requests.Prod(key: garbage));
        var problem = Assert.Single(e.For(RegistrationFields.Key));
        Assert.StartsWith("SSH key: This is not a private key ssh can read", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("bm90IGEga2V5", e.Message, StringComparison.Ordinal);

        var locked = Requests.NewPrivateKey("open sesame");
        e = await RefusedAsync(Requests.Prod(key: locked));
        Assert.Contains("passphrase", Assert.Single(e.For(RegistrationFields.Key)), StringComparison.OrdinalIgnoreCase);
        e = await RefusedAsync(Requests.Prod(key: locked) with { KeyPassphrase = "wrong guess" });
        var wrong = Assert.Single(e.For(RegistrationFields.Key));
        Assert.DoesNotContain("wrong guess", wrong, StringComparison.Ordinal);
        Assert.DoesNotContain(Requests.KeyLine(locked), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_name_of_a_lab_cluster_cannot_be_taken()
    {
        var e = await RefusedAsync(Requests.Prod(LabClusterCatalog.DemoClusterName, kubeconfig: Requests.TokenKubeconfig()));

        Assert.Equal(["Name: 'lab-ocp4' is the name of a simulated lab cluster; choose another name."], e.For(RegistrationFields.Name));
        Assert.True(_console.Registry.Find(LabClusterCatalog.DemoClusterName)!.Info.IsSimulated);
    }

    [Fact]
    public async Task A_new_registration_never_overwrites_an_existing_cluster()
    {
        var first = await _console.Registration.SaveAsync(Requests.Prod(kubeconfig: Requests.TokenKubeconfig()) with { IsNew = true }, ClustersHost.Olivia, CancellationToken.None);

        var e = await Assert.ThrowsAsync<ClusterRegistrationException>(() => _console.Registration.SaveAsync(
            Requests.Prod(kubeconfig: Requests.TokenKubeconfig()) with { IsNew = true, Hosts = Requests.ThreeMasters("10.9.9.9") }, ClustersHost.Olivia, CancellationToken.None));

        Assert.Equal(["Name: a cluster named 'prod-east' is already registered; open it to change it, or choose another name."], e.For(RegistrationFields.Name));
        Assert.Equal(first.Apis, _console.Registry.Definition("prod-east")!.Apis);
        Assert.Equal("10.0.0.10", _console.Registry.Find("prod-east")!.Info.Hosts[0].Address);
        Assert.Single(await _console.ColumnAsync("Secrets", "Id"));
    }

    [Fact]
    public async Task A_cluster_that_could_not_be_reached_at_all_is_refused()
    {
        var e = await RefusedAsync(Requests.Prod());

        Assert.Equal(["Give at least an SSH key or a kubeconfig: the console must be able to reach the cluster."], e.For(RegistrationFields.General));
    }

    [Fact]
    public async Task Viewers_and_approvers_may_not_register()
    {
        await Assert.ThrowsAsync<NotAllowedException>(() => _console.Registration.SaveAsync(Requests.Prod(kubeconfig: Requests.TokenKubeconfig()), ClustersHost.Vera, CancellationToken.None));
        await Assert.ThrowsAsync<NotAllowedException>(() => _console.Registration.SaveAsync(Requests.Prod(kubeconfig: Requests.TokenKubeconfig()), ClustersHost.Arjun, CancellationToken.None));
        Assert.Empty(await _console.Get<IClusterDefinitions>().ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_saved_cluster_is_listed_as_real_and_found_with_its_registered_hosts()
    {
        var definition = await _console.Registration.SaveAsync(Requests.Prod(kubeconfig: Requests.TokenKubeconfig()), ClustersHost.Olivia, CancellationToken.None);

        var info = Assert.Single(_console.Registry.List(), c => c.Name == "prod-east");
        Assert.False(info.IsSimulated);
        Assert.False(_console.Registry.IsSimulated("prod-east"));
        Assert.Contains(_console.Registry.List(), c => c.Name == LabClusterCatalog.DemoClusterName && c.IsSimulated);
        var connection = _console.Registry.Find("prod-east");
        Assert.NotNull(connection);
        Assert.Equal(Requests.ThreeMasters(), connection.Info.Hosts, HostComparer.Instance);
        Assert.Equal("4.16.12", connection.Info.Version);
        Assert.IsType<RecoveryConsole.Transports.Ssh.SshHostTransport>(connection.Hosts);
        Assert.Equal(definition.Apis, _console.Registry.Definition("prod-east")!.Apis);

        var registered = Assert.Single(await _console.AuditAsync(AuditKinds.ClusterRegistered));
        Assert.Equal("olivia", registered.Actor);
        Assert.Equal("registered prod-east: 3 hosts, ssh core port 22, kubeconfig for cluster", registered.Detail);
    }

    [Fact]
    public async Task Kubeconfig_and_key_are_stored_encrypted_and_never_in_the_definition()
    {
        var kubeconfig = Requests.TokenKubeconfig();
        var key = Requests.NewPrivateKey();
        var keyBody = Requests.KeyLine(key);
        var definition = await _console.Registration.SaveAsync(Requests.Prod(kubeconfig: kubeconfig, key: key), ClustersHost.Olivia, CancellationToken.None);

        // The stores give them back ...
        var api = Assert.Single(definition.Apis);
        Assert.Equal(kubeconfig, Encoding.UTF8.GetString(await _console.Get<ISecretStore>().GetAsync(api.KubeconfigSecretId, CancellationToken.None)));
        using (var material = await _console.Get<ISshKeyStore>().OpenAsync(definition.Ssh.KeySecretId!, CancellationToken.None))
            Assert.Contains(keyBody, Encoding.UTF8.GetString(material.PrivateKey), StringComparison.Ordinal);

        // ... but neither the database file nor the key directory holds them in the clear, and the definition only names them.
        var json = Assert.Single(await _console.ColumnAsync("Clusters", "DefinitionJson"));
        Assert.Contains(api.KubeconfigSecretId, json, StringComparison.Ordinal);
        Assert.DoesNotContain(Requests.Token, json, StringComparison.Ordinal);
        Assert.DoesNotContain("certificate-authority-data", json, StringComparison.Ordinal);
        Assert.DoesNotContain(keyBody, json, StringComparison.Ordinal);
        var stored = Assert.Single(await _console.ColumnAsync("Secrets", "Protected"));
        Assert.DoesNotContain(Requests.Token, stored, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(kubeconfig))[..40], stored, StringComparison.Ordinal);
        Assert.DoesNotContain(keyBody, _console.DataFilesText(), StringComparison.Ordinal);
        var audit = string.Join("\n", (await _console.AuditAsync(AuditKinds.ClusterRegistered)).Select(e => e.Detail));
        Assert.DoesNotContain(Requests.Token, audit, StringComparison.Ordinal);
        Assert.Contains("new key ED25519 SHA256:", audit, StringComparison.Ordinal);

        // The page's summary shows the public facts only.
        var access = await _console.Registration.DescribeAccessAsync("prod-east", CancellationToken.None);
        Assert.Equal("ED25519", access.Key!.Label);
        Assert.StartsWith("SHA256:", access.Key.Fingerprint, StringComparison.Ordinal);
        var summary = Assert.Single(access.Kubeconfigs).Summary!;
        Assert.Equal(("https://api.prod-east.example:6443", "admin", "bearer token"), (summary.Server, summary.User, summary.Credential));
        Assert.DoesNotContain(Requests.Token, access.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Saving_again_without_secrets_keeps_them_and_a_new_kubeconfig_replaces_the_old_one()
    {
        var first = await _console.Registration.SaveAsync(Requests.Prod(kubeconfig: Requests.TokenKubeconfig(), key: Requests.NewPrivateKey()), ClustersHost.Olivia, CancellationToken.None);

        var kept = await _console.Registration.SaveAsync(Requests.Prod() with { Version = "4.16.13" }, ClustersHost.Olivia, CancellationToken.None);
        Assert.Equal(first.Apis, kept.Apis);
        Assert.Equal(first.Ssh.KeySecretId, kept.Ssh.KeySecretId);
        Assert.Equal("4.16.13", _console.Registry.Find("prod-east")!.Info.Version);

        var replacement = Requests.TokenKubeconfig("https://api.prod-east.example:6443", insecure: true);
        var replaced = await _console.Registration.SaveAsync(Requests.Prod(kubeconfig: replacement, key: Requests.NewPrivateKey()) with
        {
            Contexts = new Dictionary<string, string> { ["cluster"] = "other" },
        }, ClustersHost.Olivia, CancellationToken.None);
        var api = Assert.Single(replaced.Apis);
        Assert.Equal("other", api.Context);
        Assert.NotEqual(first.Apis[0].KubeconfigSecretId, api.KubeconfigSecretId);
        await Assert.ThrowsAsync<KeyNotFoundException>(() => _console.Get<ISecretStore>().GetAsync(first.Apis[0].KubeconfigSecretId, CancellationToken.None));
        Assert.Single(await _console.ColumnAsync("Secrets", "Id"));
        Assert.NotEqual(first.Ssh.KeySecretId, replaced.Ssh.KeySecretId);
        Assert.Equal([replaced.Ssh.KeySecretId], (await _console.Get<ISshKeyStore>().ListAsync(CancellationToken.None)).Select(k => k.KeyId));

        // insecure-skip-tls-verify is kept (the operator may need it) but always shown as a warning.
        var summary = Assert.Single((await _console.Registration.DescribeAccessAsync("prod-east", CancellationToken.None)).Kubeconfigs).Summary!;
        Assert.True(summary.InsecureSkipTlsVerify);
        Assert.Contains(summary.Warnings, w => w.Contains("insecure-skip-tls-verify", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_captured_inventory_changes_hosts_and_facts_but_keeps_the_connection()
    {
        await _console.Registration.SaveAsync(Requests.Prod(kubeconfig: Requests.TokenKubeconfig()), ClustersHost.Olivia, CancellationToken.None);
        var before = _console.Registry.Find("prod-east")!;

        var hosts = Requests.ThreeMasters("192.0.2.50");
        await _console.Registration.SaveInventoryAsync("prod-east", [.. hosts.Take(2)], new Dictionary<string, string> { ["keepalived"] = "true" }, "4.16.20",
            "captured from the API by olivia", ClustersHost.Olivia, CancellationToken.None);

        var after = _console.Registry.Find("prod-east")!;
        Assert.Same(before.Hosts, after.Hosts); // same SSH transport: its master connections stay up
        Assert.Same(before.Api, after.Api);
        Assert.Equal(["master-0", "master-1"], after.Info.Hosts.Select(h => h.Name));
        Assert.Equal("true", after.Info.Facts["keepalived"]);
        var definition = _console.Registry.Definition("prod-east")!;
        Assert.Equal("captured from the API by olivia", definition.InventorySource);
        Assert.NotNull(definition.InventoryCapturedAt);
        var audit = Assert.Single(await _console.AuditAsync(AuditKinds.InventoryCaptured));
        Assert.Equal("prod-east: captured from the API by olivia; 2 hosts (master-0 192.0.2.50, master-1 192.0.2.50); keepalived=true", audit.Detail);
    }

    [Fact]
    public async Task Corrected_facts_keep_the_capture_time_and_say_who_corrected_what()
    {
        await _console.Registration.SaveAsync(Requests.Prod(kubeconfig: Requests.TokenKubeconfig()), ClustersHost.Olivia, CancellationToken.None);
        var captured = await _console.Registration.SaveInventoryAsync("prod-east", [], new Dictionary<string, string> { ["keepalived"] = "true", ["proxy"] = "false" },
            "", "captured from the API by olivia", ClustersHost.Olivia, CancellationToken.None);

        var sam = new Actor("sam", [Roles.Operator, Roles.Approver]);
        var corrected = await _console.Registration.CorrectFactsAsync("prod-east", new Dictionary<string, string> { ["keepalived"] = "false", ["networkType"] = "OVNKubernetes" },
            sam, CancellationToken.None);

        Assert.Equal(captured.InventoryCapturedAt, corrected.InventoryCapturedAt);
        Assert.Equal(Requests.ThreeMasters(), corrected.Hosts, HostComparer.Instance);
        Assert.Matches(@"^captured from the API by olivia; corrected by sam on \d{4}-\d\d-\d\d \d\d:\d\d UTC$", corrected.InventorySource);
        Assert.Equal(new Dictionary<string, string> { ["keepalived"] = "false", ["networkType"] = "OVNKubernetes" }, _console.Registry.Find("prod-east")!.Info.Facts);
        var audit = (await _console.AuditAsync(AuditKinds.InventoryCaptured)).Last();
        Assert.Equal("sam", audit.Actor);
        Assert.EndsWith("keepalived: true -> false; networkType: (none) -> OVNKubernetes; proxy: false -> (removed)", audit.Detail, StringComparison.Ordinal);

        var bad = await Assert.ThrowsAsync<ClusterRegistrationException>(() => _console.Registration.CorrectFactsAsync("prod-east",
            new Dictionary<string, string> { ["two words"] = "x" }, sam, CancellationToken.None));
        Assert.Equal(["Fact 'two words': a name is letters, digits, '.', '_' or '-' and starts with a letter."], bad.Problems);
    }

    [Fact]
    public async Task Removing_a_cluster_deletes_its_secrets_key_and_trusted_host_keys()
    {
        var definition = await _console.Registration.SaveAsync(Requests.Prod(kubeconfig: Requests.TokenKubeconfig(), key: Requests.NewPrivateKey()), ClustersHost.Olivia, CancellationToken.None);
        var knownHosts = _console.Get<ClusterPaths>().KnownHostsFile("prod-east");
        await File.WriteAllTextAsync(knownHosts, "10.0.0.10 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ3oIG5vdCBhIHJlYWwga2V5IGJ1dCBsb29rcyBsaWtlIG9uZQ\n");

        await Assert.ThrowsAsync<NotAllowedException>(() => _console.Registration.RemoveAsync("prod-east", ClustersHost.Vera, CancellationToken.None));
        await _console.Registration.RemoveAsync("prod-east", ClustersHost.Olivia, CancellationToken.None);

        Assert.Null(_console.Registry.Find("prod-east"));
        Assert.DoesNotContain(_console.Registry.List(), c => c.Name == "prod-east");
        Assert.Empty(await _console.ColumnAsync("Secrets", "Id"));
        Assert.Null(await _console.Get<ISshKeyStore>().DescribeAsync(definition.Ssh.KeySecretId!, CancellationToken.None));
        Assert.False(File.Exists(knownHosts));
        var removed = Assert.Single(await _console.AuditAsync(AuditKinds.ClusterRemoved));
        Assert.Equal("prod-east: definition, stored key and 1 kubeconfig(s) deleted, trusted host keys forgotten", removed.Detail);
        await Assert.ThrowsAsync<KeyNotFoundException>(() => _console.Registration.RemoveAsync("prod-east", ClustersHost.Olivia, CancellationToken.None));
    }

    [Fact]
    public async Task Registered_clusters_are_loaded_again_after_a_restart()
    {
        await _console.Registration.SaveAsync(Requests.Prod(kubeconfig: Requests.TokenKubeconfig()), ClustersHost.Olivia, CancellationToken.None);
        var again = new ConsoleClusterRegistry(_console.Get<IClusterDefinitions>(), _console.Get<ISecretStore>(),
            _console.Get<RecoveryConsole.Transports.Ssh.SshTransportFactory>(), _console.Get<ClusterPaths>(), _console.Get<RecoveryConsole.Orchestration.Transcript.Redactor>());
        await using (again)
        {
            Assert.Empty(again.List());
            await again.RefreshAsync(CancellationToken.None);
            Assert.Equal(["prod-east"], again.List().Select(c => c.Name));
        }
    }
}

/// <summary>HostInfo compares its role list by reference; tests compare the values.</summary>
public sealed class HostComparer : IEqualityComparer<HostInfo>
{
    public static readonly HostComparer Instance = new();
    public bool Equals(HostInfo? x, HostInfo? y) => x is not null && y is not null && x.Name == y.Name && x.Address == y.Address && x.Roles.SequenceEqual(y.Roles);
    public int GetHashCode(HostInfo obj) => obj.Name.GetHashCode(StringComparison.Ordinal);
}
