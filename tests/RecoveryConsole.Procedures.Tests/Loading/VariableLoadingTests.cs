using RecoveryConsole.Procedures.Model;

namespace RecoveryConsole.Procedures.Tests.Loading;

/// <summary>capture, forEach items, repeat, input and env: read into the model, mistakes reported at their line and field.</summary>
public sealed class VariableLoadingTests : LoaderTestBase
{
    [Fact]
    public void Captures_items_and_env_are_read_and_their_variables_may_be_used_later()
    {
        var procedure = LoadValid(Base + """
              - id: vips
                title: VIPs
                section: "4.11.3"
                on: recoveryHost
                env: { LANG: C, PROXY: "{{ backupDir }}" }
                run: ip -o address
                capture:
                  found: { regex: '(?<device>\S+)\s+inet\s+(?<address>\S+)', all: true }
                  text: output
              - id: delete
                title: Delete
                section: "4.11.4"
                on: recoveryHost
                forEach: { items: found, as: vip, key: address, where: "vip.device != 'lo'" }
                run: ip address del {{ vip.address }} dev {{ vip.device }}
            """);

        var vips = procedure.Steps[1];
        Assert.Equal([new CaptureSpec("found", CaptureSource.Regex, @"(?<device>\S+)\s+inet\s+(?<address>\S+)", true), new CaptureSpec("text", CaptureSource.Output)], vips.Captures);
        Assert.Equal(["LANG", "PROXY"], vips.Run!.Environment.Select(e => e.Key));
        var loop = procedure.Steps[2].ForEachItem!;
        Assert.Equal(("found", "vip", "address", "vip.device != 'lo'"), (loop.Items, loop.As, loop.Key, loop.Where));
        Assert.Equal(new StepTarget(TargetMode.One, Host: "recoveryHost"), procedure.Steps[2].Target);
    }

    [Fact]
    public void A_variable_nobody_captures_is_reported_where_it_is_used()
    {
        var error = SingleError(Base + """
              - id: s2
                title: S2
                section: "2"
                on: recoveryHost
                run: echo {{ vipz.address }}
            """);

        Assert.Equal((18, "steps[1].run"), (error.Line, error.Field));
        Assert.Contains("'{{ vipz.address }}' is not a declared parameter, variable or built-in name", error.Message);
    }

    [Fact]
    public void An_input_reads_its_options_and_a_capture_on_several_hosts_is_refused()
    {
        var procedure = LoadValid(Base + """
              - id: choose
                title: Choose
                section: "15"
                input:
                  name: chosen
                  prompt: Which?
                  type: multiChoice
                  options: { from: machines, value: name, label: "{{ option.name }} ({{ option.node }})" }
                  preselect: "option.node != recoveryHost"
              - id: list
                title: List
                section: "15.1"
                api: { method: GET, path: /machines }
                capture: { machines: { json: "items[*].metadata", all: true } }
            """);
        var input = procedure.Steps[1].Input!;
        Assert.Equal((InputType.MultiChoice, "machines", "name", "option.node != recoveryHost"), (input.Type, input.OptionsFrom, input.OptionValue, input.Preselect));

        var error = SingleError(Base + """
              - id: s2
                title: S2
                section: "2"
                forEach: { hosts: controlPlaneHosts }
                run: hostname
                capture: { name: output }
            """);
        Assert.Contains("a step on several hosts cannot capture one value", error.Message);
    }

    [Theory]
    [InlineData("    repeat: { until: \"n == '0'\" }\n    steps:\n      - { id: a, title: A, on: recoveryHost, run: echo }", "'max' is required")]
    [InlineData("    on: recoveryHost\n    run: echo\n    repeat: { until: x, max: 2 }", "'repeat' applies to a group of steps")]
    [InlineData("    input: { name: backupDir, prompt: P }", "'backupDir' is a parameter; a variable needs a name of its own")]
    [InlineData("    input: { name: x, prompt: P, type: choice }", "a choice needs options")]
    [InlineData("    on: recoveryHost\n    run: echo\n    expect: { count: { of: items } }", "a count needs equals (without field), atLeast or atMost")]
    [InlineData("    on: recoveryHost\n    run: echo\n    expect: { all: { of: items, field: status.phase } }", "'all' needs a predicate")]
    [InlineData("    on: recoveryHost\n    env: { 1BAD: x }\n    run: echo", "'1BAD' is not a valid environment variable name")]
    [InlineData("    manual: do it\n    env: { A: x }", "'env' applies to steps that run a command")]
    public void Mistakes_in_the_new_keys_are_explained(string body, string message)
    {
        var result = Load(Base + "  - id: s2\n    title: S2\n    section: '2'\n" + body);

        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.Message.Contains(message, StringComparison.Ordinal));
    }
}
