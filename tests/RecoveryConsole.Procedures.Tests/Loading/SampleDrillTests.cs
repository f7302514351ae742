using RecoveryConsole.Procedures.Conditions;
using RecoveryConsole.Procedures.Loading;
using RecoveryConsole.Procedures.Model;
using RecoveryConsole.Procedures.Parameters;
using RecoveryConsole.Procedures.Rendering;
using RecoveryConsole.Procedures.Tests.Support;

namespace RecoveryConsole.Procedures.Tests.Loading;

/// <summary>The sample procedure loads cleanly and only asks of the demo cluster what it can answer.</summary>
public sealed class SampleDrillTests
{
    private static Procedure LoadSample()
    {
        var result = ProcedureLoader.Load(Repository.SampleDrill, DemoCluster.Options);
        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Errors));
        return result.Procedure!;
    }

    [Fact]
    public void Loads_without_errors_and_uses_every_step_kind()
    {
        var procedure = LoadSample();

        Assert.Equal("sample-drill", procedure.Id);
        // Every kind but input (it needs a variable to offer) and compute (its loading and running have their own tests:
        // the fixture's step list is what the UI, SSH and cluster tests walk through).
        Assert.Equal(Enum.GetValues<StepKind>().Where(k => k is not (StepKind.Input or StepKind.Compute)).Order(), procedure.AllSteps().Select(s => s.Kind).Distinct().Order());
        Assert.Contains("rehearsal", procedure.Summary, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(new SourceReference("000_fa5c83705aa298d9.txt", "5.3.2.2"), procedure.Source);
    }

    [Fact]
    public void Uses_every_target_mode_and_has_destructive_steps()
    {
        var procedure = LoadSample();

        // All but together: the barrier start has its own loading and engine tests (see Engine/TogetherTests).
        Assert.Equal(Enum.GetValues<TargetMode>().Where(m => m != TargetMode.Together).Order(), procedure.AllSteps().Select(s => s.Target.Mode).Distinct().Order());
        Assert.Contains(procedure.AllSteps(), s => s.Destructive);
        var group = procedure.Steps.Single(s => s.Kind == StepKind.Group);
        Assert.Equal(new StepTarget(TargetMode.EachInTurn, Hosts: "controlPlaneHosts", Except: "recoveryHost"), group.Target);
        Assert.All(group.Steps, child => Assert.Equal(new StepTarget(TargetMode.One, Host: "host"), child.Target));
        Assert.Equal(["stop-static-pods/move-etcd-manifest", "stop-static-pods/wait-etcd-stopped"], group.Steps.Select(s => s.Path));
    }

    [Fact]
    public void Records_the_file_and_the_sha256_of_its_bytes()
    {
        var procedure = LoadSample();

        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Repository.SampleDrill)));
        Assert.Equal(expected, procedure.VersionHash);
        Assert.Equal(Repository.SampleDrill, procedure.FilePath);
    }

    [Fact]
    public void Every_top_level_step_cites_a_section_of_the_document()
    {
        Assert.All(LoadSample().Steps, s => Assert.StartsWith("5.3.2.2", s.Section));
    }

    [Fact]
    public void Parameter_defaults_resolve_against_the_demo_cluster()
    {
        var procedure = LoadSample();

        var values = ParameterValidator.Resolve(procedure, new Dictionary<string, string?> { ["recoveryHost"] = "master-0" }, DemoCluster.Hosts);

        Assert.Equal("/home/core/assets/backup", values["backupDir"]);
        Assert.Equal("DRILL-1", values["ticket"]);
    }

    [Fact]
    public void Conditions_skip_the_proxy_step_and_keep_the_keepalived_step_on_the_demo_facts()
    {
        var procedure = LoadSample();
        var values = DemoValues(procedure, host: null);

        var skipped = procedure.AllSteps().Where(s => s.When is not null && !Condition.Parse(s.When).Evaluate(values)).Select(s => s.Id);
        var kept = procedure.AllSteps().Where(s => s.When is not null && Condition.Parse(s.When).Evaluate(values)).Select(s => s.Id);

        Assert.Equal(["export-proxy"], skipped);
        Assert.Contains("check-vip", kept);
    }

    [Fact]
    public void Every_command_renders_and_uses_only_what_the_demo_hosts_answer()
    {
        var procedure = LoadSample();
        var commands = procedure.AllSteps().Select(s => s.Run ?? s.Wait?.Probe.Command)
            .Concat(procedure.Preflight.Select(c => c.Probe.Command))
            .OfType<CommandSpec>()
            .ToList();
        Assert.NotEmpty(commands);

        foreach (var command in commands)
        {
            var line = CommandRenderer.Render(command, DemoValues(procedure, host: "master-1"));
            foreach (var segment in line.Split('|'))
            {
                var words = segment.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries).SkipWhile(w => w is "sudo" or "-E");
                Assert.Contains(words.First(), DemoCluster.Commands);
            }
        }
    }

    [Fact]
    public void Every_api_call_renders_to_a_path_the_demo_api_answers()
    {
        var procedure = LoadSample();
        var calls = procedure.AllSteps().Select(s => s.Api).Concat(procedure.Preflight.Select(c => c.Probe.Api)).OfType<ApiCall>();

        foreach (var call in calls)
        {
            var rendered = CommandRenderer.Render(call, DemoValues(procedure, host: null));
            Assert.Contains((rendered.Method, rendered.Path), new[]
            {
                ("GET", "/version"),
                ("GET", "/apis/operator.openshift.io/v1/etcds/cluster"),
                ("PATCH", "/apis/operator.openshift.io/v1/etcds/cluster"),
            });
        }
    }

    [Fact]
    public void Prints_two_thousand_lines_in_one_step()
    {
        Assert.Contains(LoadSample().Steps, s => s.Run?.Template == "seq 1 2000");
    }

    private static Dictionary<string, string> DemoValues(Procedure procedure, string? host)
    {
        var values = new Dictionary<string, string>(DemoCluster.Facts)
        {
            ["cluster.name"] = "demo",
            ["cluster.version"] = "4.16.3",
        };
        foreach (var (name, value) in DemoCluster.Facts)
            values["facts." + name] = value;
        foreach (var (name, value) in ParameterValidator.Resolve(procedure,
                     new Dictionary<string, string?> { ["recoveryHost"] = "master-0" }, DemoCluster.Hosts))
            values[name] = value;
        if (host is not null)
        {
            values["host"] = host;
            values["host.name"] = host;
            values["host.address"] = "192.0.2.10";
        }
        return values;
    }
}
