using RecoveryConsole.Procedures.Expectations;
using RecoveryConsole.Procedures.Model;

namespace RecoveryConsole.Procedures.Tests.Expectations;

/// <summary>count / all / none over the items of an answer, as "3 etcd pods Running", "no CSR pending", "every node Ready".</summary>
public sealed class AggregateTests
{
    private const string Pods = """
        {"items": [
          {"metadata": {"name": "etcd-master-0"}, "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}]}},
          {"metadata": {"name": "etcd-master-1"}, "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "False"}]}},
          {"metadata": {"name": "etcd-master-2"}, "status": {"phase": "Pending"}}
        ]}
        """;

    private static ExpectationResult Check(params AggregateCheck[] checks) =>
        ExpectationMatcher.Check(new Expectation { Aggregates = checks }, ProbeOutcome.FromCommand(0, Pods) with { ExitCode = null });

    [Fact]
    public void A_count_over_a_filter_counts_the_matching_items()
    {
        Assert.True(Check(new AggregateCheck { Kind = AggregateKind.Count, Of = "items[status.phase=Running]", CountEquals = 2 }).Holds);
        var wrong = Check(new AggregateCheck { Kind = AggregateKind.Count, Of = "items[status.phase=Running]", CountEquals = 3 });
        Assert.Equal("2 item(s) of items[status.phase=Running], expected 3", wrong.Explanation);
    }

    [Fact]
    public void All_names_the_items_that_break_the_rule_and_an_empty_list_never_passes()
    {
        var result = Check(new AggregateCheck { Kind = AggregateKind.All, Of = "items", Field = "status.conditions[type=Ready].status", EqualsValue = "True" });
        Assert.False(result.Holds);
        Assert.Equal("2 of 3 item(s) of items not with status.conditions[type=Ready].status = 'True': etcd-master-1, etcd-master-2", result.Explanation);

        var empty = ExpectationMatcher.Check(new Expectation { Aggregates = [new AggregateCheck { Kind = AggregateKind.All, Of = "items", Field = "a", EqualsValue = "b" }] },
            ProbeOutcome.FromCommand(0, """{"items": []}""") with { ExitCode = null });
        Assert.False(empty.Holds);
    }

    [Fact]
    public void None_and_missing_fields_say_which_items_matched()
    {
        var result = Check(new AggregateCheck { Kind = AggregateKind.None, Of = "items", Field = "status.conditions", Missing = true });
        Assert.Equal((false, "1 item(s) of items with status.conditions missing: etcd-master-2"), (result.Holds, result.Explanation));
    }

    [Fact]
    public void Lines_of_a_command_output_are_items_too()
    {
        var outcome = ProbeOutcome.FromCommand(0, "CONTAINER  IMAGE  STATE\nabc  etcd  Running\n");
        var none = new AggregateCheck { Kind = AggregateKind.None, Of = AggregateCheck.Lines, Matches = "^(?!CONTAINER)" };
        Assert.False(ExpectationMatcher.Check(new Expectation { Aggregates = [none] }, outcome).Holds);
        Assert.True(ExpectationMatcher.Check(new Expectation { Aggregates = [none] }, ProbeOutcome.FromCommand(0, "CONTAINER  IMAGE  STATE\n")).Holds);
    }
}
