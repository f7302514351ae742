using RecoveryConsole.Procedures.Model;
using RecoveryConsole.Procedures.Rendering;

namespace RecoveryConsole.Procedures.Tests.Rendering;

public sealed class CommandRendererTests
{
    private static readonly Dictionary<string, string> Values = new() { ["dir"] = "/backup dir", ["name"] = "a/b", ["reason"] = "say \"hi\"" };

    [Theory]
    [InlineData(false, false, "cluster-restore.sh '/backup dir'")]
    [InlineData(true, false, "sudo cluster-restore.sh '/backup dir'")]
    [InlineData(true, true, "sudo -E cluster-restore.sh '/backup dir'")]
    public void Renders_commands_with_sudo_as_a_prefix(bool sudo, bool preserveEnv, string expected)
    {
        Assert.Equal(expected, CommandRenderer.Render(new CommandSpec("cluster-restore.sh {{ dir }}", sudo, preserveEnv), Values));
    }

    [Fact]
    public void Renders_api_calls_with_url_escaped_paths_and_json_escaped_bodies()
    {
        var call = new ApiCall { Method = "PATCH", Path = "/x/{{ name }}", Body = """{"r": "{{ reason }}"}""", ContentType = "application/merge-patch+json" };

        var rendered = CommandRenderer.Render(call, Values);

        Assert.Equal(call with { Path = "/x/a%2Fb", Body = """{"r": "say \"hi\""}""" }, rendered);
    }
}
