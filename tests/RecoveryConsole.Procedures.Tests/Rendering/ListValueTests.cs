using RecoveryConsole.Procedures.Conditions;
using RecoveryConsole.Procedures.Rendering;

namespace RecoveryConsole.Procedures.Tests.Rendering;

/// <summary>List values: one shell word per item, membership with `in`.</summary>
public sealed class ListValueTests
{
    [Fact]
    public void A_list_renders_one_quoted_word_per_item_in_commands_and_a_readable_list_for_people()
    {
        var values = new Dictionary<string, string> { ["csrs"] = TemplateValues.FromList(["csr-1", "csr 2; rm -rf /"]) };

        Assert.Equal("oc adm certificate approve csr-1 'csr 2; rm -rf /'", TemplateRenderer.Render("oc adm certificate approve {{ csrs }}", values, Escaping.Shell));
        Assert.Equal("approve csr-1, csr 2; rm -rf /", TemplateRenderer.Render("approve {{ csrs }}", values, Escaping.None));
    }

    [Theory]
    [InlineData("node in lost", true)]
    [InlineData("!(node in lost)", false)]
    [InlineData("'master-9' in lost", false)]
    [InlineData("'keepalived.yaml' in manifests", true)]
    [InlineData("node in empty", false)]
    public void In_tests_membership_in_lists_and_comma_separated_host_lists(string condition, bool expected)
    {
        var values = new Dictionary<string, string>
        {
            ["node"] = "master-1",
            ["lost"] = "master-1,master-2",
            ["manifests"] = TemplateValues.FromList(["etcd-pod.yaml", "keepalived.yaml"]),
            ["empty"] = TemplateValues.FromList([]),
        };

        Assert.Equal(expected, Condition.Parse(condition).Evaluate(values));
    }

    [Fact]
    public void Env_entries_precede_the_command_and_empty_ones_are_left_out()
    {
        var spec = new Model.CommandSpec("/usr/local/bin/cluster-restore.sh {{ dir }}", Sudo: true, PreserveEnvironment: true)
        {
            Environment = [new("HTTP_PROXY", "{{ proxy }}"), new("NO_PROXY", "{{ none }}")],
        };
        var values = new Dictionary<string, string> { ["dir"] = "/home/core/assets/backup", ["proxy"] = "http://proxy:3128", ["none"] = "" };

        Assert.Equal("HTTP_PROXY=http://proxy:3128 sudo -E /usr/local/bin/cluster-restore.sh /home/core/assets/backup", CommandRenderer.Render(spec, values));
    }
}
