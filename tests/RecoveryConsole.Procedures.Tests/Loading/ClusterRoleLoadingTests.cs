using RecoveryConsole.Procedures.Model;

namespace RecoveryConsole.Procedures.Tests.Loading;

/// <summary>Multi-cluster procedures: <c>clusters:</c> roles, and which role each API step talks to.</summary>
[Trait("Category", "Security")]
public sealed class ClusterRoleLoadingTests : LoaderTestBase
{
    /// <summary>Two roles (lines 4-9); steps start on line 11.</summary>
    private const string TwoRoles = """
        id: move
        title: Move
        source: { document: d.txt, section: "8.6" }
        clusters:
          - { name: source, label: Source management cluster, product: hypershift-management, requires: [externalDns] }
          - name: destination
            label: Destination management cluster
            product: hypershift-management
            differentFrom: source
        steps:
          - id: read
            title: Read
            section: "1"
            cluster: source
            api: { method: GET, path: /api/v1/namespaces/clusters }
          - id: nested
            title: Nested
            section: "2"
            cluster: destination
            steps:
              - { id: create, title: Create, api: { method: POST, path: /api/v1/namespaces, body: "{}" } }
              - { id: back, title: Back, cluster: source, wait: { api: { method: GET, path: /healthz }, until: { status: 200 } } }

        """;

    [Fact]
    public void Reads_roles_and_each_steps_role_with_groups_passing_theirs_on()
    {
        var procedure = LoadValid(TwoRoles);

        Assert.Equal(["source", "destination"], procedure.Clusters.Select(c => c.Name));
        Assert.Equal("source", procedure.MainRole);
        Assert.Equal(("Source management cluster", "hypershift-management"), (procedure.Clusters[0].Label, procedure.Clusters[0].Product));
        Assert.Equal([ClusterRequirements.ExternalDns], procedure.Clusters[0].Requires);
        Assert.Equal("source", procedure.Clusters[1].DifferentFrom);
        var roles = procedure.AllSteps().ToDictionary(s => s.Path, s => s.Cluster);
        Assert.Equal("source", roles["read"]);
        Assert.Equal("destination", roles["nested/create"]); // inherited from its group
        Assert.Equal("source", roles["nested/back"]);        // its own wins
    }

    [Fact]
    public void A_one_cluster_procedure_has_no_roles_and_needs_none()
    {
        var procedure = LoadValid(Base);

        Assert.Empty(procedure.Clusters);
        Assert.Null(procedure.MainRole);
        Assert.All(procedure.AllSteps(), s => Assert.Null(s.Cluster));
    }

    [Theory]
    [InlineData("    cluster: source\n", "    cluster: sorce\n", 14, "steps[0].cluster", "unknown cluster role 'sorce' (did you mean 'source'?)")]
    [InlineData("    cluster: source\n", "", 11, "steps[0]", "say which with cluster: <source | destination>")]
    [InlineData("differentFrom: source", "differentFrom: elsewhere", 9, "clusters[1].differentFrom", "unknown cluster role 'elsewhere'")]
    [InlineData("requires: [externalDns]", "requires: [externalDNS]", 5, "clusters[0].requires[0]", "unknown requirement 'externalDNS'")]
    [InlineData("cluster: destination\n    steps:", "steps:", 20, "steps[1].steps[0]", "say which with cluster:")]
    public void Reports_role_mistakes_with_line_and_field(string find, string replace, int line, string field, string message)
    {
        var error = SingleError(TwoRoles.Replace(find, replace, StringComparison.Ordinal));

        Assert.Equal((line, field), (error.Line, error.Field));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_role_declared_twice_is_an_error()
    {
        var result = Load(TwoRoles.Replace("  - name: destination\n", "  - name: source\n", StringComparison.Ordinal));

        Assert.False(result.Succeeded);
        var error = result.Errors.First();
        Assert.Equal((6, "clusters[1].name"), (error.Line, error.Field));
        Assert.Contains("cluster role 'source' is declared twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_step_naming_a_role_in_a_one_cluster_procedure_is_an_error()
    {
        var error = SingleError(Base.Replace("    on: recoveryHost\n    run: echo {{ backupDir }}",
            "    cluster: source\n    api: { method: GET, path: /healthz }", StringComparison.Ordinal));

        Assert.Equal("steps[0].cluster", error.Field);
        Assert.Contains("declares no 'clusters:'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_command_cannot_name_a_role()
    {
        var error = SingleError(Base.Replace("    on: recoveryHost\n", "    on: recoveryHost\n    cluster: source\n", StringComparison.Ordinal)
            .Replace("parameters:", "clusters: [{ name: source }]\nparameters:", StringComparison.Ordinal));

        Assert.Equal("steps[0].cluster", error.Field);
        Assert.Contains("not to a run step", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void With_one_role_api_steps_need_not_name_it()
    {
        var procedure = LoadValid(TwoRoles.Replace("""
              - name: destination
                label: Destination management cluster
                product: hypershift-management
                differentFrom: source

            """, "", StringComparison.Ordinal).Replace("cluster: destination", "cluster: source", StringComparison.Ordinal)
            .Replace("    cluster: source\n    api:", "    api:", StringComparison.Ordinal));

        Assert.Null(procedure.AllSteps().First().Cluster); // the run's main cluster
        Assert.Single(procedure.Clusters);
    }
}
