using RecoveryConsole.Clusters.Registration;
using RecoveryConsole.Clusters.Tests.Support;

namespace RecoveryConsole.Clusters.Tests.Registration;

/// <summary>What the registration form shows about a pasted kubeconfig before it is stored.</summary>
public sealed class KubeconfigInspectionTests
{
    [Fact]
    public void Lists_the_contexts_picks_the_current_one_and_describes_it_without_the_token()
    {
        var result = KubeconfigInspection.Inspect(Requests.TokenKubeconfig(), null);

        Assert.True(result.IsUsable, result.Problem);
        Assert.Equal(["admin", "other"], result.Contexts);
        Assert.Equal("admin", result.CurrentContext);
        Assert.Equal("admin", result.Context);
        var s = result.Summary!;
        Assert.Equal(("admin", "prod-east", "admin", "https://api.prod-east.example:6443", "bearer token", false), (s.Context, s.Cluster, s.User, s.Server, s.Credential, s.InsecureSkipTlsVerify));
        Assert.Empty(s.Warnings);
        Assert.DoesNotContain(Requests.Token, result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Another_context_can_be_picked()
    {
        var result = KubeconfigInspection.Inspect(Requests.TokenKubeconfig(), "other");

        Assert.Equal("other", result.Summary!.Context);
    }

    [Fact]
    public void Insecure_skip_tls_verify_is_a_warning_not_a_refusal()
    {
        var result = KubeconfigInspection.Inspect(Requests.TokenKubeconfig(insecure: true), null);

        Assert.True(result.IsUsable);
        Assert.True(result.Summary!.InsecureSkipTlsVerify);
        Assert.Equal(["TLS verification is off for cluster 'prod-east' (insecure-skip-tls-verify): the console cannot tell its API server from an impostor."], result.Summary.Warnings);
    }

    [Theory]
    [InlineData("", "The kubeconfig you gave is empty.")]
    [InlineData("apiVersion: v1\nkind: Pod\n", "The file you gave is a Pod, not a kubeconfig (kind: Config).")]
    [InlineData("apiVersion: v1\nkind: Config\nclusters: []\n", "The kubeconfig you gave defines no contexts.")]
    public void Says_in_one_sentence_why_a_kubeconfig_cannot_be_used(string text, string problem)
    {
        var result = KubeconfigInspection.Inspect(text, null);

        Assert.False(result.IsUsable);
        Assert.Equal(problem, result.Problem);
    }

    [Fact]
    public void A_kubeconfig_naming_files_on_disk_is_refused_with_the_field_names_only()
    {
        var text = Requests.TokenKubeconfig().Replace($"token: {Requests.Token}", "client-certificate: /home/me/.kube/admin.crt\n    client-key: /home/me/.kube/admin.key", StringComparison.Ordinal);

        var result = KubeconfigInspection.Inspect(text, null);

        Assert.False(result.IsUsable);
        Assert.Equal(["admin", "other"], result.Contexts);
        Assert.StartsWith("The kubeconfig you gave names files (client-certificate, client-key)", result.Problem, StringComparison.Ordinal);
        Assert.DoesNotContain("/home/me", result.Problem, StringComparison.Ordinal);
    }
}
