using RecoveryConsole.Lab.Legacy;
using RecoveryConsole.Lab.Legacy.Ocp42;

namespace RecoveryConsole.Lab.Tests.Legacy;

/// <summary>
/// oc on 4.2/4.3 masters (login as kubeadmin, adm release info, create -f) and crictl exec into the etcd-member
/// container, as 003 3.2.1 step 5 uses them.
/// </summary>
[Trait("Category", "Lab")]
public sealed class Ocp42OcAndCrictlExecTests
{
    private const string ReleaseInfo = "sudo oc adm release info --image-for kube-etcd-signer-server --registry-config=/var/lib/kubelet/config.json";

    private static Ocp42Cluster Model(LegacyHarness lab) => (Ocp42Cluster)lab.Cluster.Model!;

    [Fact]
    public async Task Oc_needs_a_kubeadmin_login_with_the_right_password_before_it_reads_the_release_or_creates_the_signer_pod()
    {
        var lab = new LegacyHarness(LegacyClusterCatalog.Ocp42());

        var (code, _, stderr) = await lab.RunAsync("master-0", ReleaseInfo);
        Assert.Equal(1, code);
        Assert.StartsWith("error: Missing or incomplete configuration info.", stderr[0]);

        // The document's prompt gets no answer without a terminal; a wrong password is refused as oc refuses it.
        (code, _, stderr) = await lab.RunAsync("master-0", "sudo oc login https://localhost:6443");
        Assert.Equal((1, "error: EOF"), (code, stderr.Single()));
        (code, _, stderr) = await lab.RunAsync("master-0", "sudo oc login https://localhost:6443 -u kubeadmin -p wrong-password");
        Assert.Equal((1, "Login failed (401 Unauthorized)"), (code, stderr[0]));

        var login = await lab.MustAsync("master-0", $"sudo oc login https://localhost:6443 -u kubeadmin -p {Model(lab).KubeadminPassword}");
        Assert.Contains("Login successful.", login);
        var image = Assert.Single(await lab.MustAsync("master-0", ReleaseInfo));
        Assert.Equal(Ocp42Release.Components["kube-etcd-signer-server"], image); // the cluster's own release payload
        // The login is root's (sudo): core's own oc is not logged in, and another master is not either.
        Assert.Equal(1, (await lab.RunAsync("master-0", "oc whoami")).Code);
        Assert.Equal(1, (await lab.RunAsync("master-1", ReleaseInfo)).Code);

        await lab.MustAsync("master-0", $"sudo -E KUBE_ETCD_SIGNER_SERVER={image} /usr/local/bin/tokenize-signer.sh master-0");
        Assert.Equal(["pod/etcd-signer created"], await lab.MustAsync("master-0", "sudo oc create -f assets/manifests/kube-etcd-cert-signer.yaml"));
        var pod = await lab.MustApiAsync("GET", Ocp42Cluster.SignerPodPath);
        Assert.Equal("master-0", (string?)pod["spec"]!["nodeName"]);
        Assert.Single(await lab.MustAsync("master-0", "ss -ltn | grep 9943"));
        (code, _, stderr) = await lab.RunAsync("master-0", "sudo oc create -f assets/manifests/kube-etcd-cert-signer.yaml");
        Assert.Equal(1, code);
        Assert.StartsWith("Error from server (AlreadyExists)", stderr.Single());
    }

    [Fact]
    public async Task Oc_login_fails_while_etcd_has_no_quorum()
    {
        var lab = new LegacyHarness(LegacyClusterCatalog.Ocp42(), "ocp42-lost-masters");

        var (code, _, stderr) = await lab.RunAsync("master-0", $"sudo oc login https://localhost:6443 -u kubeadmin -p {Model(lab).KubeadminPassword}");

        Assert.Equal(1, code);
        Assert.Equal("Error from server (InternalError): etcdserver: request timed out", stderr.Single());
    }

    [Fact]
    public async Task Etcdctl_runs_in_the_etcd_member_container_with_the_v3_api_and_the_hosts_peer_certificates()
    {
        var lab = new LegacyHarness(LegacyClusterCatalog.Ocp42());
        var ps = await lab.MustAsync("master-0", "sudo crictl ps --name etcd-member");
        var id = ps[1].Split(' ')[0];
        const string Certs = "ETCDCTL_CACERT=/etc/ssl/etcd/ca.crt ETCDCTL_CERT=/etc/ssl/etcd/system:etcd-peer:etcd-0.lab-ocp42.lab.example.crt ETCDCTL_KEY=/etc/ssl/etcd/system:etcd-peer:etcd-0.lab-ocp42.lab.example.key";

        var table = await lab.MustAsync("master-0", $"sudo crictl exec {id} env ETCDCTL_API=3 {Certs} etcdctl member list -w table");
        Assert.Equal(3, table.Count(l => l.Contains("| started |", StringComparison.Ordinal)));

        // Without ETCDCTL_API=3 etcdctl 3.3 speaks v2; a wrong certificate path or container id fails as the tools do.
        var (code, _, stderr) = await lab.RunAsync("master-0", $"sudo crictl exec {id} env {Certs} etcdctl member list -w table");
        Assert.Equal((1, "Incorrect Usage: flag provided but not defined: -w"), (code, stderr.Single()));
        (code, _, stderr) = await lab.RunAsync("master-0", $"sudo crictl exec {id} env ETCDCTL_API=3 ETCDCTL_CACERT=/etc/ssl/etcd/ca.crt ETCDCTL_CERT=/etc/ssl/etcd/peer.crt ETCDCTL_KEY=/etc/ssl/etcd/peer.key etcdctl member list -w table");
        Assert.Equal((1, "Error: open /etc/ssl/etcd/peer.crt: no such file or directory"), (code, stderr.Single()));
        (code, _, stderr) = await lab.RunAsync("master-0", $"sudo crictl exec 0123456789ab env ETCDCTL_API=3 {Certs} etcdctl member list -w table");
        Assert.Equal(1, code);
        Assert.Contains("could not find container \"0123456789ab\"", stderr.Single());
        Assert.Equal(1, (await lab.RunAsync("master-0", $"crictl exec {id} etcdctl member list")).Code); // not as root
    }
}
