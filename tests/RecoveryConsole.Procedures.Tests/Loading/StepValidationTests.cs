namespace RecoveryConsole.Procedures.Tests.Loading;

/// <summary>Each kind of mistake in a step is reported once, at the line and field where it is written.</summary>
public sealed class StepValidationTests : LoaderTestBase
{
    // Every case appends a second step to Base, starting on line 14.
    [Theory]
    // Typos never pass silently.
    [InlineData("  - { id: s2, title: S2, section: '2', action: approveCsrs, destrutive: true }", 14, "steps[1].destrutive", "unknown key 'destrutive' (did you mean 'destructive'?)")]
    // Required fields.
    [InlineData("  - title: S2\n    section: '2'\n    action: approveCsrs", 14, "steps[1].id", "'id' is required")]
    [InlineData("  - id: s2\n    section: '2'\n    action: approveCsrs", 14, "steps[1].title", "'title' is required")]
    [InlineData("  - id: s2\n    title: S2\n    action: approveCsrs", 14, "steps[1].section", "'section' is required")]
    [InlineData("  - id: s2\n    title: ''\n    section: '2'\n    action: approveCsrs", 15, "steps[1].title", "must have a value")]
    // Ids.
    [InlineData("  - id: S_2\n    title: S2\n    section: '2'\n    action: approveCsrs", 14, "steps[1].id", "not a valid step id")]
    [InlineData("  - id: s1\n    title: S2\n    section: '2'\n    action: approveCsrs", 14, "steps[1].id", "step id 's1' is used twice")]
    // Exactly one kind.
    [InlineData("  - id: s2\n    title: S2\n    section: '2'", 14, "steps[1]", "needs exactly one of run, api, wait, manual, action, input, compute or steps")]
    [InlineData("  - id: s2\n    title: S2\n    section: '2'\n    on: recoveryHost\n    run: echo\n    manual: Do it", 14, "steps[1]", "has run and manual")]
    // A command needs a host.
    [InlineData("  - id: s2\n    title: S2\n    section: '2'\n    run: echo hi", 17, "steps[1].run", "a command needs a host")]
    // Targets.
    [InlineData("  - id: s2\n    title: S2\n    section: '2'\n    on: backupDir\n    run: echo", 17, "steps[1].on", "'backupDir' is a path parameter, not a host parameter")]
    [InlineData("  - id: s2\n    title: S2\n    section: '2'\n    on: masters\n    run: echo", 17, "steps[1].on", "use forEach: { hosts: masters }")]
    [InlineData("  - id: s2\n    title: S2\n    section: '2'\n    on: controlPlaneHosts\n    run: echo", 17, "steps[1].on", "is a set of hosts")]
    [InlineData("  - id: s2\n    title: S2\n    section: '2'\n    on: recoverHost\n    run: echo", 17, "steps[1].on", "(did you mean 'recoveryHost'?)")]
    [InlineData("  - id: s2\n    title: S2\n    section: '2'\n    on: host\n    run: echo", 17, "steps[1].on", "there is none here")]
    [InlineData("  - id: s2\n    title: S2\n    section: '2'\n    on: recoveryhost\n    run: echo", 17, "steps[1].on", "'recoveryhost' is not a host parameter (did you mean 'recoveryHost'?)")]
    [InlineData("  - id: s2\n    title: S2\n    section: '2'\n    on: recoveryHost\n    forEach: { hosts: allHosts }\n    run: echo", 18, "steps[1].forEach", "either 'on' or 'forEach'")]
    [InlineData("  - id: s2\n    title: S2\n    section: '2'\n    forEach: { hosts: controlPlane }\n    run: echo", 17, "steps[1].forEach.hosts", "(did you mean 'controlPlaneHosts'?)")]
    [InlineData("  - id: s2\n    title: S2\n    section: '2'\n    forEach: { hosts: backupDir }\n    run: echo", 17, "steps[1].forEach.hosts", "neither a host set")]
    [InlineData("  - id: s2\n    title: S2\n    section: '2'\n    forEach: { hosts: allHosts, except: backupDir }\n    run: echo", 17, "steps[1].forEach.except", "'backupDir' is not a host or hostList parameter")]
    [InlineData("  - id: s2\n    title: S2\n    section: '2'\n    forEach: { hosts: allHosts, mode: random }\n    run: echo", 17, "steps[1].forEach.mode", "sequential, parallel or together")]
    [InlineData("  - id: s2\n    title: S2\n    section: '2'\n    forEach: { except: recoveryHost }\n    run: echo", 17, "steps[1].forEach.hosts", "'hosts' is required")]
    // Templates.
    [InlineData("  - id: s2\n    title: S2\n    section: '2'\n    on: recoveryHost\n    run: echo {{ backupDri }}", 18, "steps[1].run", "'{{ backupDri }}' is not a declared parameter, variable or built-in name (did you mean 'backupDir'?)")]
    [InlineData("  - id: s2\n    title: S2\n    section: '2'\n    api: { method: GET, path: '/api/v1/nodes/{{ host.name }}' }", 17, "steps[1].api.path", "'{{ host.name }}' needs a host")]
    [InlineData("  - id: s2\n    title: S2\n    section: '2'\n    on: recoveryHost\n    run: echo {{ backup Dir }}", 18, "steps[1].run", "Malformed placeholder at character 6")]
    [InlineData("  - id: s2\n    title: S2\n    section: '2'\n    manual: Tell {{ who }}", 17, "steps[1].manual", "'{{ who }}' is not a declared parameter")]
    [InlineData("  - id: s2\n    title: S2\n    section: '2'\n    action: { name: forceRedeployment, with: { operator: '{{ op }}' } }", 17, "steps[1].action.with.operator", "'{{ op }}' is not a declared parameter")]
    // Conditions and regexes.
    [InlineData("  - id: s2\n    title: S2\n    section: '2'\n    when: keepalived &&\n    action: approveCsrs", 17, "steps[1].when", "Syntax error at position 14")]
    [InlineData("  - id: s2\n    title: S2\n    section: '2'\n    on: recoveryHost\n    run: echo\n    expect: { outputMatches: '(' }", 19, "steps[1].expect.outputMatches", "not a valid regular expression")]
    [InlineData("  - id: s2\n    title: S2\n    section: '2'\n    on: recoveryHost\n    run: echo\n    expect: { outputNotMatches: '[a-' }", 19, "steps[1].expect.outputNotMatches", "not a valid regular expression")]
    // Actions.
    [InlineData("  - id: s2\n    title: S2\n    section: '2'\n    action: approveCsr", 17, "steps[1].action", "unknown action 'approveCsr' (did you mean 'approveCsrs'?)")]
    [InlineData("  - id: s2\n    title: S2\n    section: '2'\n    action: { name: forceRedeployment, with: { operater: etcd } }", 17, "steps[1].action.with.operater", "(did you mean 'operator'?)")]
    // Expectations.
    [InlineData("  - id: s2\n    title: S2\n    section: '2'\n    on: recoveryHost\n    run: echo\n    expect: { status: 200 }", 19, "steps[1].expect.status", "status applies to API calls")]
    [InlineData("  - id: s2\n    title: S2\n    section: '2'\n    api: { method: GET, path: /version }\n    expect: { exitCode: 0 }", 18, "steps[1].expect.exitCode", "exitCode applies to commands")]
    [InlineData("  - id: s2\n    title: S2\n    section: '2'\n    api: { method: GET, path: /version }\n    expect: { stream: stderr }", 18, "steps[1].expect.stream", "stream applies to commands")]
    [InlineData("  - id: s2\n    title: S2\n    section: '2'\n    on: recoveryHost\n    run: echo\n    expect: { stream: stdin, outputMatches: ok }", 19, "steps[1].expect.stream", "stream is 'stdin'; use stdout, stderr or both")]
    [InlineData("  - id: s2\n    title: S2\n    section: '2'\n    on: recoveryHost\n    run: echo\n    expect: { exitCode: zero }", 19, "steps[1].expect.exitCode", "must be a whole number of at least 0")]
    [InlineData("  - id: s2\n    title: S2\n    section: '2'\n    api: { method: GET, path: /version }\n    expect: { equals: x }", 18, "steps[1].expect.equals", "needs a 'field'")]
    [InlineData("  - id: s2\n    title: S2\n    section: '2'\n    api: { method: GET, path: /version }\n    expect: { field: 'a..b', equals: x }", 18, "steps[1].expect.field", "empty name")]
    [InlineData("  - id: s2\n    title: S2\n    section: '2'\n    manual: Do it\n    expect: { exitCode: 0 }", 18, "steps[1].expect", "'expect' applies to run and api steps, not to a manual step")]
    [InlineData("  - id: s2\n    title: S2\n    section: '2'\n    manual: Do it\n    timeout: 5m", 18, "steps[1].timeout", "not to a manual step")]
    [InlineData("  - id: s2\n    title: S2\n    section: '2'\n    on: recoveryHost\n    run: echo\n    timeout: 5 minutes", 19, "steps[1].timeout", "'5 minutes' is not a positive duration")]
    [InlineData("  - id: s2\n    title: S2\n    section: '2'\n    on: recoveryHost\n    run: echo\n    retry: { attempts: 0 }", 19, "steps[1].retry.attempts", "at least 1")]
    [InlineData("  - id: s2\n    title: S2\n    section: '2'\n    on: recoveryHost\n    run: echo\n    destructive: yes", 19, "steps[1].destructive", "must be true or false")]
    // API calls.
    [InlineData("  - id: s2\n    title: S2\n    section: '2'\n    api: { method: FETCH, path: /version }", 17, "steps[1].api.method", "method must be one of GET, POST, PUT, PATCH, DELETE")]
    [InlineData("  - id: s2\n    title: S2\n    section: '2'\n    api: { method: GET, path: version }", 17, "steps[1].api.path", "must start with '/'")]
    [InlineData("  - id: s2\n    title: S2\n    section: '2'\n    api: { method: PATCH, path: /x, body: '{}' }", 17, "steps[1].api.contentType", "a PATCH needs a contentType")]
    [InlineData("  - id: s2\n    title: S2\n    section: '2'\n    api: { method: POST, path: /x, body: '{\"a\": 1,}' }", 17, "steps[1].api.body", "not valid JSON")]
    // Waits.
    [InlineData("  - id: s2\n    title: S2\n    section: '2'\n    on: recoveryHost\n    wait: { run: echo, every: 1s }", 18, "steps[1].wait.until", "'until' is required")]
    [InlineData("  - id: s2\n    title: S2\n    section: '2'\n    on: recoveryHost\n    wait: { until: { outputIsEmpty: true } }", 18, "steps[1].wait", "exactly one of 'run' or 'api'")]
    [InlineData("  - id: s2\n    title: S2\n    section: '2'\n    on: recoveryHost\n    wait: { run: echo, until: {} }", 18, "steps[1].wait.until", "needs at least one condition")]
    [InlineData("  - id: s2\n    title: S2\n    section: '2'\n    on: recoveryHost\n    wait: { run: echo, until: { outputIsEmpty: true }, every: 1m, timeout: 10s }", 18, "steps[1].wait.every", "longer than the timeout")]
    [InlineData("  - id: s2\n    title: S2\n    section: '2'\n    on: recoveryHost\n    wait: { run: echo, until: { outputIsEmpty: true } }\n    retry: { attempts: 2 }", 19, "steps[1].retry", "a wait already polls")]
    // Groups.
    [InlineData("  - id: s2\n    title: S2\n    section: '2'\n    steps: []", 17, "steps[1].steps", "a group needs at least one step")]
    [InlineData("  - id: s2\n    title: S2\n    section: '2'\n    steps:\n      - id: c\n        title: C\n        run: echo", 20, "steps[1].steps[0].run", "a command needs a host")]
    [InlineData("  - id: s2\n    title: S2\n    section: '2'\n    forEach: { hosts: workers }\n    steps:\n      - { id: c, title: C, run: echo }\n      - { id: c, title: D, run: echo }", 20, "steps[1].steps[1].id", "step id 'c' is used twice")]
    public void Reports_the_mistake_at_its_line_and_field(string appended, int line, string field, string message)
    {
        var error = SingleError(Base + appended + "\n");

        Assert.Equal((line, field), (error.Line, error.Field));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.EndsWith("procedure.yaml", error.File, StringComparison.Ordinal);
    }

    [Fact]
    public void Points_at_the_column_of_the_offending_value()
    {
        var error = SingleError(Base + "  - { id: s2, title: S2, section: '2', on: nowhere!, run: echo }\n");

        Assert.Equal((14, 44, "steps[1].on"), (error.Line, error.Column, error.Field));
    }

    [Fact]
    public void Points_at_the_column_of_an_unknown_key()
    {
        var error = SingleError(Base + "  - id: s2\n    title: S2\n    section: '2'\n    action: approveCsrs\n    retyr: { attempts: 2 }\n");

        Assert.Equal((18, 5, "steps[1].retyr"), (error.Line, error.Column, error.Field));
    }

    [Fact]
    public void A_child_step_of_a_host_group_may_use_the_current_host_and_nest_another_forEach()
    {
        var procedure = LoadValid(Base + """
              - id: outer
                title: Outer
                section: "2"
                forEach: { hosts: controlPlaneHosts }
                steps:
                  - id: inner
                    title: Inner
                    forEach: { hosts: controlPlaneHosts, except: host }
                    run: echo {{ host.name }}
                  - id: here
                    title: Here
                    on: host
                    run: echo {{ host.address }}
            """);

        var outer = procedure.Steps[1];
        Assert.Equal(new Model.StepTarget(Model.TargetMode.EachInTurn, Hosts: "controlPlaneHosts", Except: "host"), outer.Steps[0].Target);
        Assert.Equal(new Model.StepTarget(Model.TargetMode.One, Host: "host"), outer.Steps[1].Target);
        Assert.Equal("outer/here", outer.Steps[1].Path);
    }

    [Fact]
    public void A_literal_host_name_is_accepted_for_on()
    {
        var procedure = LoadValid(Base + "  - { id: s2, title: S2, section: '2', on: master-0.example.com, run: hostname }\n");

        Assert.Equal("master-0.example.com", procedure.Steps[1].Target.Host);
    }

    [Fact]
    public void Go_templates_are_written_with_an_escaped_brace()
    {
        var procedure = LoadValid(Base + """
              - id: s2
                title: S2
                section: "2"
                on: recoveryHost
                run: oc get csr -o go-template='\{{range .items}}\{{.metadata.name}}\{{end}}'
            """);

        Assert.StartsWith("oc get csr", procedure.Steps[1].Run!.Template);
    }

    [Fact]
    public void Any_action_is_accepted_when_the_caller_gives_no_list()
    {
        var result = Load(Base + "  - { id: s2, title: S2, section: '2', action: { name: somethingNew, with: { anything: 1 } } }\n",
            Procedures.Loading.ProcedureLoaderOptions.Default);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal("somethingNew", result.Procedure!.Steps[1].Action!.Name);
    }
}
