using RecoveryConsole.Procedures.Model;
using RecoveryConsole.Procedures.Parameters;
using RecoveryConsole.Procedures.Tests.Support;

namespace RecoveryConsole.Procedures.Tests.Parameters;

public sealed class ParameterValidatorTests
{
    private static readonly Procedure Procedure = new()
    {
        Id = "p",
        Title = "P",
        Source = new SourceReference("d.txt", "1"),
        Parameters =
        [
            new() { Name = "recoveryHost", Type = ParameterType.Host, From = "controlPlaneHosts", Label = "Recovery host" },
            new() { Name = "extraHosts", Type = ParameterType.HostList, From = "workers", Required = false },
            new() { Name = "anyHost", Type = ParameterType.Host, Required = false },
            new() { Name = "backupDir", Type = ParameterType.Path, Default = "/home/core/assets/backup" },
            new() { Name = "operator", Type = ParameterType.Enum, Choices = ["etcd", "kubeapiserver"], Default = "etcd" },
            new() { Name = "force", Type = ParameterType.Bool, Default = "false" },
            new() { Name = "revision", Type = ParameterType.Int, Required = false },
            new() { Name = "ticket", Type = ParameterType.String, Pattern = "[A-Z]+-[0-9]+", Default = "OPS-1" },
            new() { Name = "note", Type = ParameterType.String, Required = false },
        ],
    };

    private static Dictionary<string, string?> Given(params (string Name, string? Value)[] values) =>
        values.ToDictionary(v => v.Name, v => v.Value);

    private static ParameterProblem SingleProblem(params (string, string?)[] values)
    {
        var all = Given(values);
        all.TryAdd("recoveryHost", "master-0");
        return Assert.Single(ParameterValidator.Validate(Procedure, all, DemoCluster.Hosts));
    }

    [Fact]
    public void Resolves_defaults_and_normalises_values()
    {
        var values = ParameterValidator.Resolve(Procedure,
            Given(("recoveryHost", " master-1 "), ("extraHosts", "worker-1, worker-0"), ("force", "TRUE"), ("revision", "+7"), ("anyHost", "")),
            DemoCluster.Hosts);

        Assert.Equal(new Dictionary<string, string>
        {
            ["recoveryHost"] = "master-1",
            ["extraHosts"] = "worker-1,worker-0",
            ["anyHost"] = "",
            ["backupDir"] = "/home/core/assets/backup",
            ["operator"] = "etcd",
            ["force"] = "true",
            ["revision"] = "7",
            ["ticket"] = "OPS-1",
            ["note"] = "",
        }, values);
    }

    [Fact]
    public void A_required_value_without_default_is_reported_with_its_label()
    {
        var problems = ParameterValidator.Validate(Procedure, Given(), DemoCluster.Hosts);

        Assert.Equal([new ParameterProblem("recoveryHost", "Recovery host is required.")], problems);
    }

    [Theory]
    [InlineData("recoveryHost", "worker-0", "'worker-0' is not one of the controlPlaneHosts (master-0, master-1, master-2)")]
    [InlineData("anyHost", "elsewhere", "'elsewhere' is not one of the allHosts")]
    [InlineData("extraHosts", "worker-0,master-0", "'master-0' is not one of the workers (worker-0, worker-1)")]
    [InlineData("extraHosts", "worker-0,,worker-1", "without empty entries")]
    [InlineData("extraHosts", "worker-0,worker-0", "names worker-0 more than once")]
    [InlineData("backupDir", "backup", "must be an absolute path")]
    [InlineData("backupDir", "/backup\n/etc", "must not contain control characters")]
    [InlineData("backupDir", "/backup\0", "must not contain control characters")]
    [InlineData("operator", "kubescheduler", "must be one of etcd, kubeapiserver")]
    [InlineData("operator", "ETCD", "must be one of etcd, kubeapiserver")]
    [InlineData("force", "yes", "must be true or false")]
    [InlineData("revision", "7.5", "must be a whole number")]
    [InlineData("revision", "99999999999", "must be a whole number")]
    [InlineData("ticket", "ops-1", "'ops-1' does not have the expected form")]
    [InlineData("ticket", "OPS-1; rm -rf /", "does not have the expected form")]
    [InlineData("ticket", "xOPS-1", "does not have the expected form")]
    public void Rejects_invalid_values(string name, string value, string message)
    {
        var problem = SingleProblem((name, value));

        Assert.Equal(name, problem.Parameter);
        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Security")]
    public void A_value_breaking_a_pattern_is_told_in_the_procedures_words_not_as_a_regular_expression()
    {
        var procedure = Procedure with
        {
            Parameters =
            [
                new() { Name = "change", Type = ParameterType.String, Label = "Change ticket", Pattern = "[A-Z]+-[0-9]+",
                        PatternHelp = "A ticket such as OPS-123: capital letters, a dash, then digits" },
                new() { Name = "plain", Type = ParameterType.String, Label = "Plain", Pattern = "[a-z]{3}" },
            ],
        };

        var problems = ParameterValidator.Validate(procedure,
            new Dictionary<string, string?> { ["change"] = "ops 1", ["plain"] = "ABCD" }, DemoCluster.Hosts);

        Assert.Equal("Change ticket: 'ops 1' does not have the expected form. A ticket such as OPS-123: capital letters, a dash, then digits.",
            problems.Single(p => p.Parameter == "change").Message);
        var plain = problems.Single(p => p.Parameter == "plain").Message;
        Assert.Equal("Plain: 'ABCD' does not have the expected form. See the help under the field for what it takes.", plain);
        Assert.DoesNotContain("[a-z]{3}", plain, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_for_an_undeclared_name_is_a_problem()
    {
        var problem = SingleProblem(("recovryHost", "master-0"));

        Assert.Equal("recovryHost", problem.Parameter);
        Assert.Contains("not a parameter of p", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_throws_with_every_problem()
    {
        var ex = Assert.Throws<ParameterValidationException>(() =>
            ParameterValidator.Resolve(Procedure, Given(("backupDir", "relative"), ("force", "maybe")), DemoCluster.Hosts));

        Assert.Equal(["recoveryHost", "backupDir", "force"], ex.Problems.Select(p => p.Parameter));
    }
}
