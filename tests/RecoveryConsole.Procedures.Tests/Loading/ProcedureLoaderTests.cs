using RecoveryConsole.Procedures.Loading;
using RecoveryConsole.Procedures.Model;

namespace RecoveryConsole.Procedures.Tests.Loading;

public sealed class ProcedureLoaderTests : LoaderTestBase
{
    [Fact]
    public void The_base_document_is_valid()
    {
        var procedure = LoadValid(Base);

        var step = Assert.Single(procedure.Steps);
        Assert.Equal("s1", step.Path);
        Assert.Equal(StepKind.Run, step.Kind);
        Assert.Equal(new StepTarget(TargetMode.One, Host: "recoveryHost"), step.Target);
        Assert.Equal(new CommandSpec("echo {{ backupDir }}"), step.Run);
        Assert.Equal(Expectation.Success, step.Expect);
        Assert.Equal(RetryPolicy.None, step.Retry);
        Assert.Null(step.Timeout);
    }

    [Fact]
    public void Reads_parameters_with_their_defaults()
    {
        var procedure = LoadValid(Base);

        var host = procedure.Parameters[0];
        Assert.Equal(ParameterType.Host, host.Type);
        Assert.Equal("controlPlaneHosts", host.From);
        Assert.True(host.Required);
        Assert.Equal("/backup", procedure.Parameters[1].Default);
        Assert.Null(procedure.Parameters[1].From);
    }

    [Fact]
    public void Reads_every_step_form()
    {
        var procedure = LoadValid(Base + """
              - id: group
                title: Group
                section: "2"
                description: Several steps on each other host.
                destructive: true
                when: "keepalived && networkType == 'OVNKubernetes'"
                forEach: { hosts: controlPlaneHosts, except: recoveryHost, mode: parallel }
                steps:
                  - id: move
                    title: Move
                    run: { command: "mv -v /a {{ host.name }}", sudo: true, preserveEnv: true }
                    expect: { exitCode: any, outputMatches: "renamed" }
                    timeout: 1m30s
                    retry: { attempts: 3, delay: 500ms }
                  - id: wait
                    title: Wait
                    wait: { run: "crictl ps | grep etcd", until: { outputIsEmpty: true }, every: 10s, timeout: 10m }
                  - id: elsewhere
                    title: Elsewhere
                    on: master-0
                    run: hostname
              - id: patch
                title: Patch
                section: "3"
                api: { method: patch, path: "/apis/x/{{ backupDir }}", body: '{"spec": {"reason": "{{ backupDir }}"}}', contentType: application/merge-patch+json }
                expect: { status: 200, field: "status.conditions[type=X].reason", equals: Done }
              - id: api-wait
                title: API wait
                section: "4"
                wait:
                  api: { method: GET, path: /apis/operator.openshift.io/v1/etcds/cluster }
                  until: { field: status.latestAvailableRevision, equals: "7" }
              - id: dns
                title: DNS
                section: "5"
                manual: "Update DNS for {{ cluster.name }} ({{ facts.platform }})"
              - id: note
                title: Note
                section: "6"
                manual: { instructions: Look, requireNote: false }
              - id: redeploy
                title: Redeploy
                section: "7"
                action: { name: forceRedeployment, with: { operator: etcd, reason: "r-{{ backupDir }}" } }
              - id: each-list
                title: Each in list
                section: "8"
                forEach: { hosts: masters }
                run: echo {{ host }} {{ host.address }}
            """);

        var group = procedure.Steps[1];
        Assert.Equal(StepKind.Group, group.Kind);
        Assert.True(group.Destructive);
        Assert.Equal("keepalived && networkType == 'OVNKubernetes'", group.When);
        Assert.Equal("Several steps on each other host.", group.Description);
        Assert.Equal(new StepTarget(TargetMode.AllAtOnce, Hosts: "controlPlaneHosts", Except: "recoveryHost"), group.Target);

        var move = group.Steps[0];
        Assert.Equal("group/move", move.Path);
        Assert.Equal("", move.Section);
        Assert.Equal(new StepTarget(TargetMode.One, Host: "host"), move.Target);
        Assert.Equal(new CommandSpec("mv -v /a {{ host.name }}", Sudo: true, PreserveEnvironment: true), move.Run);
        Assert.Equal(new Expectation { ExitCode = null, OutputMatches = "renamed" }, move.Expect);
        Assert.Equal(TimeSpan.FromSeconds(90), move.Timeout);
        Assert.Equal(new RetryPolicy(3, TimeSpan.FromMilliseconds(500)), move.Retry);

        var wait = group.Steps[1].Wait!;
        Assert.Equal("crictl ps | grep etcd", wait.Probe.Command!.Template);
        Assert.Equal(new Expectation { OutputIsEmpty = true }, wait.Until);
        Assert.Equal((TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(10)), (wait.Every, wait.Timeout));
        Assert.Equal(new StepTarget(TargetMode.One, Host: "master-0"), group.Steps[2].Target);

        var patch = procedure.Steps[2];
        Assert.Equal(StepTarget.Cluster, patch.Target);
        Assert.Equal("PATCH", patch.Api!.Method);
        Assert.Equal("application/merge-patch+json", patch.Api.ContentType);
        Assert.Equal(new Expectation { Status = 200, Field = "status.conditions[type=X].reason", FieldEquals = "Done" }, patch.Expect);

        var apiWait = procedure.Steps[3].Wait!;
        Assert.Equal("/apis/operator.openshift.io/v1/etcds/cluster", apiWait.Probe.Api!.Path);
        Assert.Equal(new Expectation { Field = "status.latestAvailableRevision", FieldEquals = "7" }, apiWait.Until);

        Assert.Equal(new ManualSpec { Instructions = "Update DNS for {{ cluster.name }} ({{ facts.platform }})", RequireNote = true }, procedure.Steps[4].Manual);
        Assert.False(procedure.Steps[5].Manual!.RequireNote);
        var redeploy = procedure.Steps[6].Action!;
        Assert.Equal("forceRedeployment", redeploy.Name);
        Assert.Equal(new Dictionary<string, string> { ["operator"] = "etcd", ["reason"] = "r-{{ backupDir }}" }, redeploy.With);
        Assert.Equal(new StepTarget(TargetMode.EachInTurn, Hosts: "masters"), procedure.Steps[7].Target);
    }

    [Fact]
    public void Api_steps_default_to_any_2xx_and_run_steps_to_exit_code_0()
    {
        var procedure = LoadValid(Base + """
              - id: get
                title: Get
                section: "2"
                api: { method: GET, path: /version }
              - id: grep
                title: Grep
                section: "3"
                on: recoveryHost
                run: echo x | grep x
                expect: { outputMatches: x }
            """);

        Assert.Equal(new Expectation(), procedure.Steps[1].Expect);
        Assert.Equal(new Expectation { ExitCode = 0, OutputMatches = "x" }, procedure.Steps[2].Expect);
    }

    [Fact]
    public void Reads_preflight_checks()
    {
        var procedure = LoadValid(Base.Replace("steps:", """
            preflight:
              - id: version
                title: API answers
                api: { method: GET, path: /version }
                failureMessage: No API.
              - id: ssh
                title: SSH works
                forEach: { hosts: allHosts }
                run: echo ok
                expect: { outputMatches: "^ok$" }
            steps:
            """, StringComparison.Ordinal));

        Assert.Equal(2, procedure.Preflight.Count);
        Assert.Equal("/version", procedure.Preflight[0].Probe.Api!.Path);
        Assert.Equal("No API.", procedure.Preflight[0].FailureMessage);
        Assert.Equal(StepTarget.Cluster, procedure.Preflight[0].Target);
        Assert.Equal(new StepTarget(TargetMode.EachInTurn, Hosts: "allHosts"), procedure.Preflight[1].Target);
        Assert.Equal(new Expectation { ExitCode = 0, OutputMatches = "^ok$" }, procedure.Preflight[1].Expect);
    }

    [Fact]
    public void Reports_every_error_of_a_file_not_only_the_first()
    {
        var result = Load(Base + """
              - id: s2
                title: S2
                section: "2"
                on: recoveryHost
                run: echo {{ nope }}
                timeout: soon
            """);

        Assert.Equal(["steps[1].run", "steps[1].timeout"], result.Errors.Select(e => e.Field).Order());
        Assert.Equal("t", result.Id);
    }

    [Fact]
    public void A_missing_file_is_an_error_not_an_exception()
    {
        var result = ProcedureLoader.Load(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "x.yaml"));

        var error = Assert.Single(result.Errors);
        Assert.Equal(0, error.Line);
        Assert.Contains("cannot read", error.Message);
    }
}
