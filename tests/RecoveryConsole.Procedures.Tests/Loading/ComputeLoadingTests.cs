using RecoveryConsole.Procedures.Model;

namespace RecoveryConsole.Procedures.Tests.Loading;

/// <summary>compute: and review: read into the model; values that could only be empty or name nothing refused at load time.</summary>
[Trait("Category", "Security")]
public sealed class ComputeLoadingTests : LoaderTestBase
{
    [Fact]
    public void A_joined_value_and_a_plain_template_are_read_and_later_steps_may_use_them()
    {
        var procedure = LoadValid(Base + """
              - id: initial-cluster
                title: INITIAL_CLUSTER
                section: "3.3.1 step 5"
                compute:
                  initialCluster: { join: ",", forEach: masters, item: "etcd-member-{{ item.name }}=https://{{ item.address }}:2380" }
                  recoveryPeer: "https://{{ recoveryHost.address }}:2380"
                review: true
              - id: restore
                title: Restore
                section: "3.3.1 step 6"
                on: recoveryHost
                env: { INITIAL_CLUSTER: "{{ initialCluster }}" }
                run: echo {{ recoveryPeer }}
            """);

        var compute = procedure.Steps[1];
        Assert.Equal(StepKind.Compute, compute.Kind);
        Assert.True(compute.Compute!.Review);
        Assert.Equal(
            [
                new ComputedValue { Name = "initialCluster", Template = "etcd-member-{{ item.name }}=https://{{ item.address }}:2380", ForEach = "masters" },
                new ComputedValue { Name = "recoveryPeer", Template = "https://{{ recoveryHost.address }}:2380" },
            ],
            compute.Compute.Values);
    }

    [Fact]
    public void Review_defaults_to_false_and_join_to_a_comma()
    {
        var procedure = LoadValid(Base + """
              - id: peers
                title: Peers
                section: "2"
                compute:
                  peers: { forEach: controlPlaneHosts, as: member, item: "{{ member.address }}" }
            """);

        var spec = procedure.Steps[1].Compute!;
        Assert.False(spec.Review);
        Assert.Equal(("member", ",", "controlPlaneHosts"), (spec.Values[0].As, spec.Values[0].Join, spec.Values[0].ForEach));
    }

    [Theory]
    [InlineData("initialCluster: \"\"", "steps[1].compute.initialCluster", "'initialCluster' would be empty")]
    [InlineData("initialCluster: { forEach: masters, item: \" \" }", "steps[1].compute.initialCluster.item", "must have a value")]
    [InlineData("initialCluster: { forEach: masters, item: \"etcd-member={{ itme.name }}\" }", "steps[1].compute.initialCluster.item", "'{{ itme.name }}' is not a declared parameter, variable or built-in name")]
    [InlineData("initialCluster: { forEach: masters, item: \"etcd-member=https://{{ recoveryHost.address }}:2380\" }", "steps[1].compute.initialCluster.item", "every item would render the same text")]
    [InlineData("initialCluster: { forEach: backupDir, item: \"{{ item }}\" }", "steps[1].compute.initialCluster.forEach", "'backupDir' is a path parameter")]
    [InlineData("initialCluster: { forEach: chosenHosts, item: \"{{ item }}\" }", "steps[1].compute.initialCluster.forEach", "'{{ chosenHosts }}' is not a declared parameter, variable or built-in name")]
    [InlineData("initialCluster: { item: \"{{ item }}\" }", "steps[1].compute.initialCluster.forEach", "'forEach' is required")]
    [InlineData("initialCluster: \"{{ oops\"", "steps[1].compute.initialCluster", "Malformed placeholder")]
    [InlineData("recoveryHost: \"x\"", "steps[1].compute.recoveryHost", "'recoveryHost' is a parameter")]
    public void A_value_that_could_only_be_empty_or_unresolved_is_refused_in_words(string value, string field, string message)
    {
        var error = SingleError(Base + $$"""
              - id: compute
                title: Compute
                section: "2"
                compute:
                  {{value}}
            """);

        Assert.Equal(field, error.Field);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void A_secret_parameter_cannot_become_part_of_a_computed_value()
    {
        var error = SingleError(Base.Replace("steps:", "  - { name: kubeadminPassword, type: string, secret: true }\nsteps:") + """
              - id: login
                title: Login
                section: "2"
                compute:
                  login: "oc login -u kubeadmin -p {{ kubeadminPassword }}"
            """);

        Assert.Equal("steps[1].compute.login", error.Field);
        Assert.Contains("'kubeadminPassword' is a secret parameter", error.Message);
    }

    [Theory]
    [InlineData("review: true\n    on: recoveryHost\n    run: \"true\"", "steps[1].review", "it applies to compute steps only")]
    [InlineData("on: recoveryHost\n    compute: { a: \"{{ host }}\" }", "steps[1].compute", "to build one per host, put it in a forEach group")]
    [InlineData("destructive: true\n    compute: { a: \"x\" }", "steps[1].destructive", "use review: true")]
    [InlineData("compute: { }", "steps[1].compute", "must map variable names")]
    public void Review_and_compute_are_refused_where_they_mean_nothing(string body, string field, string message)
    {
        var error = SingleError(Base + $$"""
              - id: s2
                title: S2
                section: "2"
                {{body}}
            """);

        Assert.Equal(field, error.Field);
        Assert.Contains(message, error.Message);
    }
}
