using RecoveryConsole.Lab.Legacy;
using RecoveryConsole.Lab.Legacy.Ocp42;

namespace RecoveryConsole.Lab.Tests.Legacy;

/// <summary>
/// 003 3.4.1 steps 2-4 on a 4.2/4.3 lab master: the KAO image read from the release with oc adm release info, pulled,
/// and run by podman without a terminal; a wrong release or image fails on the host, in podman's and oc's words.
/// </summary>
[Trait("Category", "Lab")]
public sealed class Ocp42ReleaseTests
{
    private const string Release = "quay.io/openshift-release-dev/ocp-release:4.3.40-x86_64";
    private const string Operator = "sudo podman run --network=host -v /etc/kubernetes/:/etc/kubernetes/:Z --entrypoint=/usr/bin/cluster-kube-apiserver-operator ";

    [Fact]
    public async Task The_kao_image_comes_from_the_release_and_starts_the_recovery_api_server_without_a_terminal()
    {
        var lab = new LegacyHarness(LegacyClusterCatalog.Ocp42(), "ocp42-expired-certificates");

        var kao = Assert.Single(await lab.MustAsync("master-0",
            $"sudo oc adm release info --registry-config=/var/lib/kubelet/config.json {Release} --image-for=cluster-kube-apiserver-operator"));
        Assert.Equal(Ocp42Steps.Kao, kao);
        await lab.MustAsync("master-0", $"sudo podman pull --authfile=/var/lib/kubelet/config.json {kao}");

        // No -it: the console's session has no terminal and the command reads nothing.
        var created = await lab.MustAsync("master-0", $"{Operator}{kao} recovery-apiserver create");
        Assert.StartsWith("export KUBECONFIG=", created[^1]);
        Assert.True(((Ocp42Cluster)lab.Cluster.Model!).RecoveryApiserverRunning);
        await lab.MustApiAsync("GET", "/api/v1/namespaces/kube-system");
    }

    [Fact]
    public async Task A_release_that_does_not_exist_or_a_component_it_lacks_is_refused_by_oc()
    {
        var lab = new LegacyHarness(LegacyClusterCatalog.Ocp42());

        var (code, stdout, stderr) = await lab.RunAsync("master-0", "sudo oc adm release info quay.io/openshift-release-dev/ocp-release:4.3.99-x86-64 --image-for=cluster-kube-apiserver-operator");
        Assert.Equal(1, code);
        Assert.Empty(stdout);
        Assert.Equal("error: unable to read image quay.io/openshift-release-dev/ocp-release:4.3.99-x86-64: manifest unknown: manifest unknown", stderr.Single());

        (code, _, stderr) = await lab.RunAsync("master-0", $"sudo oc adm release info {Release} --image-for=cluster-kube-apiserver");
        Assert.Equal(1, code);
        Assert.Equal($"error: no image tag \"cluster-kube-apiserver\" exists in the release image {Release}", stderr.Single());
    }

    [Fact]
    public async Task A_wrong_kao_image_does_not_start_the_recovery_api_server_and_the_api_stays_refused()
    {
        var lab = new LegacyHarness(LegacyClusterCatalog.Ocp42(), "ocp42-expired-certificates");
        var model = (Ocp42Cluster)lab.Cluster.Model!;

        // Another image of the payload has no cluster-kube-apiserver-operator binary.
        var etcd = Ocp42Release.Components["etcd"];
        var (code, _, stderr) = await lab.RunAsync("master-0", $"{Operator}{etcd} recovery-apiserver create");
        Assert.Equal(127, code);
        Assert.Contains("stat /usr/bin/cluster-kube-apiserver-operator: no such file or directory", stderr.Single());

        // An image quay.io does not have cannot be pulled, by podman pull or by podman run.
        var missing = "quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:0000";
        (code, _, stderr) = await lab.RunAsync("master-0", $"sudo podman pull {missing}");
        Assert.Equal(125, code);
        Assert.EndsWith("manifest unknown: manifest unknown", stderr.Single());
        (code, _, stderr) = await lab.RunAsync("master-0", $"{Operator}{missing} recovery-apiserver create");
        Assert.Equal(125, code);
        Assert.StartsWith($"Error: error pulling image \"{missing}\"", stderr.Single());

        Assert.False(model.RecoveryApiserverRunning);
        Assert.False(lab.Health().Has("recovery-apiserver-running"));
        await Assert.ThrowsAsync<RecoveryConsole.Orchestration.Transports.ApiUnreachableException>(() => lab.ApiAsync("GET", "/api/v1/namespaces/kube-system"));
    }

    [Fact]
    public async Task Oc_with_the_recovery_kubeconfig_reaches_the_recovery_api_server_on_its_master_only()
    {
        var lab = new LegacyHarness(LegacyClusterCatalog.Ocp42(), "ocp42-expired-certificates");
        const string Kubeconfig = "KUBECONFIG=/etc/kubernetes/static-pod-resources/recovery-kube-apiserver-pod/admin.kubeconfig";

        // Before the recovery API server is created its kubeconfig does not exist.
        var (code, _, stderr) = await lab.RunAsync("master-0", $"{Kubeconfig} oc get namespace kube-system");
        Assert.Equal(1, code);
        Assert.Equal(OcMissingConfigFirstLine, stderr[0]);
        await lab.MustAsync("master-0", $"{Operator}{Ocp42Steps.Kao} recovery-apiserver create");

        var table = await lab.MustAsync("master-0", $"{Kubeconfig} oc get namespace kube-system");
        Assert.Matches(@"^kube-system\s+Active\s+\S+$", table[1]);
        (code, _, stderr) = await lab.RunAsync("master-1", $"sudo {Kubeconfig} oc get namespace kube-system");
        Assert.Equal(1, code);
        Assert.Contains(stderr, l => l.StartsWith("error: Missing or incomplete configuration info.", StringComparison.Ordinal)); // sudo drops KUBECONFIG
        lab.Cluster.Host("master-1").FileSystem.WriteFile("/home/core/recovery.kubeconfig", "apiVersion: v1\nclusters:\n- cluster:\n    server: https://localhost:7443\n  name: recovery\n");
        (code, _, stderr) = await lab.RunAsync("master-1", "KUBECONFIG=/home/core/recovery.kubeconfig oc get namespace kube-system");
        Assert.Equal(1, code);
        Assert.Equal("The connection to the server localhost:7443 was refused - did you specify the right host or port?", stderr.Single());

        await lab.MustAsync("master-0", $"{Operator}{Ocp42Steps.Kao} regenerate-certificates");
        var ca = await lab.MustAsync("master-0",
            $"{Kubeconfig} oc get configmap kube-apiserver-to-kubelet-client-ca -n openshift-kube-apiserver-operator --template='{{{{ index .data \"ca-bundle.crt\" }}}}'");
        Assert.Equal(["-----BEGIN CERTIFICATE-----", "MIIDMDCCAhigAwIBAgIIKubeletClientCa2", "-----END CERTIFICATE-----"], ca);

        var model = (Ocp42Cluster)lab.Cluster.Model!;
        foreach (var op in new[] { "kubeapiserver", "kubecontrollermanager", "kubescheduler" })
        {
            Assert.True(model.ControlPlaneCertificatesExpired);
            var patched = await lab.MustAsync("master-0",
                $"{Kubeconfig} oc patch {op} cluster -p='{{\"spec\": {{\"forceRedeploymentReason\": \"recovery-'\"$( date --rfc-3339=ns )\"'\"}}}}' --type=merge");
            Assert.Equal($"{op}.operator.openshift.io/cluster patched", patched.Single());
        }
        Assert.False(model.ControlPlaneCertificatesExpired);
        var reason = (string?)lab.Cluster.Api.Get("/apis/operator.openshift.io/v1/kubeschedulers/cluster")!["spec"]!["forceRedeploymentReason"];
        Assert.Matches(@"^recovery-\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{9}\+00:00$", reason);
    }

    private const string OcMissingConfigFirstLine = "error: Missing or incomplete configuration info.  Please point to an existing, complete config file:";
}
