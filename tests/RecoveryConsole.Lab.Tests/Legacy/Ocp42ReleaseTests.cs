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
}
