using RecoveryConsole.Procedures.Model;

namespace RecoveryConsole.Procedures.Tests.Loading;

/// <summary>forEach: { mode: together, maxSkew }: read into the target, and refused where a barrier start means nothing.</summary>
[Trait("Category", "Security")]
public sealed class TogetherLoadingTests : LoaderTestBase
{
    [Fact]
    public void Mode_together_with_max_skew_is_read_into_the_target()
    {
        var procedure = LoadValid(Base + """
              - id: restore
                title: Restore on all masters
                section: "3.3.1 step 6"
                forEach: { hosts: controlPlaneHosts, mode: together, maxSkew: 500ms }
                run: sudo -E /usr/local/bin/etcd-snapshot-restore.sh /home/core/backup $INITIAL_CLUSTER
              - id: default-skew
                title: Default skew
                section: "3.3.1"
                forEach: { hosts: masters, mode: together }
                run: "true"
            """);

        Assert.Equal(new StepTarget(TargetMode.Together, Hosts: "controlPlaneHosts", MaxSkew: TimeSpan.FromMilliseconds(500)), procedure.Steps[1].Target);
        Assert.True(procedure.Steps[1].Target.IsHostSet);
        Assert.Equal(new StepTarget(TargetMode.Together, Hosts: "masters"), procedure.Steps[2].Target);
    }

    [Fact]
    public void A_misspelt_mode_names_the_three_modes()
    {
        var error = SingleError(Base + """
              - { id: s2, title: S2, section: "2", forEach: { hosts: masters, mode: togther }, run: "true" }
            """);

        Assert.Equal((14, "steps[1].forEach.mode"), (error.Line, error.Field));
        Assert.Equal("mode must be sequential, parallel or together, not 'togther'.", error.Message);
    }

    [Theory]
    [InlineData("mode: parallel, maxSkew: 1s", "steps[1].forEach.maxSkew", "'maxSkew' bounds the start skew of mode: together")]
    [InlineData("maxSkew: 1s", "steps[1].forEach.maxSkew", "'maxSkew' bounds the start skew of mode: together")]
    [InlineData("mode: together, maxSkew: soon", "steps[1].forEach.maxSkew", "'soon' is not a positive duration")]
    [InlineData("mode: together, maxSkew: 0s", "steps[1].forEach.maxSkew", "'0s' is not a positive duration")]
    public void A_max_skew_must_be_a_positive_duration_of_a_together_step(string options, string field, string message)
    {
        var error = SingleError(Base + $$"""
              - { id: s2, title: S2, section: "2", forEach: { hosts: masters, {{options}} }, run: "true" }
            """);

        Assert.Equal(field, error.Field);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Together_applies_to_run_steps_only()
    {
        var error = SingleError(Base + """
              - id: group
                title: Group
                section: "2"
                forEach: { hosts: masters, mode: together }
                steps:
                  - { id: one, title: One, run: "true" }
            """);

        Assert.Equal("steps[1].forEach", error.Field);
        Assert.Contains("it applies to run steps, not to a group step", error.Message);
    }

    [Fact]
    public void Together_refuses_a_retry_because_a_retried_host_would_start_alone()
    {
        var error = SingleError(Base + """
              - id: s2
                title: S2
                section: "2"
                forEach: { hosts: masters, mode: together }
                retry: { attempts: 3, delay: 5s }
                run: "true"
            """);

        Assert.Equal((18, "steps[1].retry"), (error.Line, error.Field));
        Assert.Contains("a retried host would start alone", error.Message);
    }
}
