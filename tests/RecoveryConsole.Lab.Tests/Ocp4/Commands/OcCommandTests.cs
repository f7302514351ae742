using System.Text.Json.Nodes;

namespace RecoveryConsole.Lab.Tests.Ocp4.Commands;

/// <summary>oc on a control-plane host with the recovery kubeconfig (document 5.3.2.2 steps 17 to 20).</summary>
[Trait("Category", "Lab")]
public sealed class OcCommandTests
{
    private const string Recovery = "KUBECONFIG=/etc/kubernetes/static-pod-resources/kube-apiserver-certs/secrets/node-kubeconfigs/localhost-recovery.kubeconfig";
    private const string ForceRedeployment = Recovery + """ oc patch etcd cluster -p='{"spec": {"forceRedeploymentReason": "recovery-'"$( date --rfc-3339=ns )"'"}}' --type=merge""";
    private readonly Ocp4Harness _lab = new();

    [Fact]
    public async Task Whoami_with_the_recovery_kubeconfig_is_system_admin()
    {
        Assert.Equal(["system:admin"], await _lab.MustAsync("master-0", $"{Recovery} oc whoami"));
    }

    [Fact]
    public async Task The_documents_forced_redeployment_patches_etcd_with_the_lab_clocks_date_and_starts_a_rollout()
    {
        _lab.Pass(TimeSpan.FromMinutes(30));
        Assert.Equal(["etcd.operator.openshift.io/cluster patched"], await _lab.MustAsync("master-0", ForceRedeployment));

        var etcd = await _lab.MustApiAsync("GET", "/apis/operator.openshift.io/v1/etcds/cluster");
        Assert.Equal("recovery-2024-09-01 08:30:00.000000000+00:00", (string?)etcd["spec"]!["forceRedeploymentReason"]);
        await _lab.WaitUntilAsync("a new etcd revision rolled out", async () =>
        {
            var status = (await _lab.MustApiAsync("GET", "/apis/operator.openshift.io/v1/etcds/cluster"))["status"]!;
            return (long)status["latestAvailableRevision"]! > 7 && status["nodeStatuses"]!.AsArray().All(n => (long)n!["currentRevision"]! == (long)status["latestAvailableRevision"]!);
        });

        // The same reason again changes nothing.
        var patch = Recovery + """ oc patch etcd/cluster --type=merge -p '{"spec": {"forceRedeploymentReason": "recovery-2024-09-01 08:30:00.000000000+00:00"}}'""";
        Assert.Equal(["etcd.operator.openshift.io/cluster patched (no change)"], await _lab.MustAsync("master-0", patch));
    }

    [Fact]
    public async Task Get_oyaml_prints_the_object_as_oc_does_and_unsupported_overrides_go_away_with_a_null_patch()
    {
        await _lab.MustAsync("master-1", Recovery + """ oc patch etcd/cluster --type=merge -p '{"spec": {"unsupportedConfigOverrides": {"useUnsupportedUnsafeNonHANonProductionUnstableEtcd": true}}}'""");
        var yaml = await _lab.MustAsync("master-1", $"{Recovery} oc get etcd/cluster -oyaml");
        Assert.Equal("apiVersion: operator.openshift.io/v1", yaml[0]);
        Assert.Contains("kind: Etcd", yaml);
        Assert.Contains("  unsupportedConfigOverrides:", yaml);
        Assert.Contains("    useUnsupportedUnsafeNonHANonProductionUnstableEtcd: true", yaml);
        Assert.Contains(yaml, l => l.StartsWith("  name: cluster", StringComparison.Ordinal));
        Assert.Contains(yaml, l => l.StartsWith("  resourceVersion: \"", StringComparison.Ordinal)); // digits read as a number: quoted
        Assert.Contains(yaml, l => l.StartsWith("  - lastTransitionTime: \"", StringComparison.Ordinal) || l.StartsWith("  - type: ", StringComparison.Ordinal));

        await _lab.MustAsync("master-1", Recovery + """ oc patch etcd/cluster --type=merge -p '{"spec": {"unsupportedConfigOverrides": null}}'""");
        Assert.DoesNotContain("  unsupportedConfigOverrides:", await _lab.MustAsync("master-1", $"{Recovery} oc get etcd/cluster -o yaml"));
        var json = JsonNode.Parse(string.Join('\n', await _lab.MustAsync("master-1", $"{Recovery} oc get etcd cluster -o json")))!;
        Assert.Equal("cluster", (string?)json["metadata"]!["name"]);
        _lab.Pass(TimeSpan.FromHours(5));
        Assert.Equal(["NAME      AGE", "cluster   5h"], await _lab.MustAsync("master-1", $"{Recovery} oc get etcd"));
    }

    [Fact]
    public async Task Localhost_answers_only_while_this_hosts_kube_apiserver_runs_and_needs_etcd_quorum_to_read()
    {
        await _lab.MustAsync("master-0", "sudo mv /etc/kubernetes/manifests/kube-apiserver-pod.yaml /tmp");
        _lab.Pass(TimeSpan.FromMinutes(3));
        var (code, _, stderr) = await _lab.RunAsync("master-0", $"{Recovery} oc get etcd/cluster -oyaml");
        Assert.Equal((1, "The connection to the server localhost:6443 was refused - did you specify the right host or port?"), (code, stderr.Single()));
        Assert.Equal(["system:admin"], await _lab.MustAsync("master-1", $"{Recovery} oc whoami")); // another host's server is its own

        _lab.Model.LoseHost("master-1");
        _lab.Model.LoseHost("master-2");
        await _lab.MustAsync("master-0", "sudo mv /tmp/kube-apiserver-pod.yaml /etc/kubernetes/manifests/");
        _lab.Pass(TimeSpan.FromMinutes(1));
        Assert.Equal(["system:admin"], await _lab.MustAsync("master-0", $"{Recovery} oc whoami"));
        (code, _, stderr) = await _lab.RunAsync("master-0", $"{Recovery} oc get etcd/cluster -oyaml");
        Assert.Equal((1, "Error from server (InternalError): etcdserver: request timed out"), (code, stderr.Single()));
    }

    [Fact]
    public async Task Without_a_usable_kubeconfig_oc_says_so()
    {
        var (code, _, stderr) = await _lab.RunAsync("master-0", "oc whoami");
        Assert.Equal(1, code);
        Assert.Equal("error: Missing or incomplete configuration info.  Please point to an existing, complete config file:", stderr[0]);
        Assert.Contains("  2. Via the KUBECONFIG environment variable", stderr);

        (code, _, stderr) = await _lab.RunAsync("master-0", "KUBECONFIG=/nope oc get etcd/cluster -oyaml");
        Assert.Equal((1, "error: Missing or incomplete configuration info.  Please point to an existing, complete config file:"), (code, stderr[0]));
        (code, _, stderr) = await _lab.RunAsync("master-0", "oc --kubeconfig=/nope whoami");
        Assert.Equal((1, "error: stat /nope: no such file or directory"), (code, stderr.Single()));
        (code, _, stderr) = await _lab.RunAsync("master-0", $"{Recovery} oc get etcd/nope");
        Assert.Equal(1, code);
        Assert.StartsWith("Error from server (NotFound): ", stderr.Single(), StringComparison.Ordinal);
        (code, _, stderr) = await _lab.RunAsync("master-0", $"{Recovery} oc patch etcd cluster -p '{{}}' --type=sideways");
        Assert.Equal((1, "error: --type must be one of [json merge strategic], not \"sideways\""), (code, stderr.Single()));
    }
}
