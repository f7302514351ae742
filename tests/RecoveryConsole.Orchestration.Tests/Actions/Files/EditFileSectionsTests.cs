using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Tests.Procedures;

namespace RecoveryConsole.Orchestration.Tests.Actions.Files;

/// <summary>
/// editFile's inSections: a host listed in several groups of an Ansible inventory is removed from the named groups
/// only (5.2.1.3 step 5: [masters] and [nodes], never [etcd]); a pattern that matches only outside them fails in words.
/// </summary>
[Trait("Category", "Lab")]
public sealed class EditFileSectionsTests
{
    private const string Inventory = """
        [OSEv3:children]
        masters
        nodes
        etcd

        [masters]
        master-0.example.com
        master-2.example.com

        [etcd]
        master-0.example.com
        master-2.example.com

        [nodes]
        master-0.example.com openshift_node_group_name='node-config-master'
        master-2.example.com openshift_node_group_name='node-config-master'

        """;

    private static string Procedure(string sections) => $$$"""
        id: edit-inventory
        title: Remove a master from inventory groups
        source: { document: 001_a269d515094e3629.txt, section: "5.2.1.3" }
        parameters:
          - { name: target, type: host, from: controlPlaneHosts }
          - { name: name, type: string }
        steps:
          - id: edit
            title: Edit the inventory
            section: "5.2.1.3 step 5"
            destructive: true
            action:
              name: editFile
              with:
                host: "{{ target }}"
                path: /etc/ansible/hosts
                sudo: "true"
                inSections: "{{{sections}}}"
                removeLinesMatching: '^{{ name }}(\s|$)'
        """;

    private static async Task<(ProcedureDrill Drill, Run Run)> RunAsync(string procedure, string name)
    {
        var drill = await ProcedureDrill.StartAsync(null, [], [procedure]);
        drill.Cluster.Host("master-0").FileSystem.WriteFile("/etc/ansible/hosts", Inventory);
        var run = await drill.DriveAsync(await drill.StartRunAsync("edit-inventory", new() { ["target"] = "master-0", ["name"] = name }));
        return (drill, run);
    }

    [Fact]
    public async Task Only_the_named_groups_lose_the_host()
    {
        var (drill, run) = await RunAsync(Procedure("masters nodes"), "master-2.example.com");
        await using var _ = drill;

        Assert.True(run.Status == RunStatus.Succeeded, await drill.ExplainAsync(run));
        Assert.True(drill.Cluster.Host("master-0").FileSystem.TryReadFile("/etc/ansible/hosts", out var now));
        Assert.Equal(Inventory.Replace("master-0.example.com\nmaster-2.example.com\n\n[etcd]", "master-0.example.com\n\n[etcd]", StringComparison.Ordinal)
            .Replace("master-2.example.com openshift_node_group_name='node-config-master'\n", "", StringComparison.Ordinal), now);
        Assert.Contains("[etcd]\nmaster-0.example.com\nmaster-2.example.com\n", now);
        var binding = Assert.Single(run.Approvals).BindingText!;
        Assert.Contains("  | -master-2.example.com\n", binding);
        Assert.Contains("  | -master-2.example.com openshift_node_group_name='node-config-master'\n", binding);
    }

    [Fact]
    public async Task A_pattern_that_matches_only_outside_the_named_groups_fails_in_words_and_changes_nothing()
    {
        var (drill, run) = await RunAsync(Procedure("masters"), "master-2.example.com openshift");
        await using var _ = drill;

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Empty(run.Approvals);
        Assert.Equal("removeLinesMatching '^master-2.example.com openshift(\\s|$)' matches no line of /etc/ansible/hosts on master-0 in [masters]: nothing was changed.",
            run.FindStep("edit")!.Message);
        Assert.True(drill.Cluster.Host("master-0").FileSystem.TryReadFile("/etc/ansible/hosts", out var now));
        Assert.Equal(Inventory, now);
    }

    [Fact]
    public async Task Sections_with_only_an_appended_line_are_refused()
    {
        var procedure = Procedure("masters").Replace("removeLinesMatching: '^{{ name }}(\\s|$)'", "appendLine: \"{{ name }}\"", StringComparison.Ordinal);
        var (drill, run) = await RunAsync(procedure, "master-3.example.com");
        await using var _ = drill;

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("inSections limits removeLinesMatching and replaceLine", run.FindStep("edit")!.Message);
    }
}
