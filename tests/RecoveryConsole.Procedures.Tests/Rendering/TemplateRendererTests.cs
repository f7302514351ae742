using System.Text.Json;
using RecoveryConsole.Procedures.Rendering;

namespace RecoveryConsole.Procedures.Tests.Rendering;

public sealed class TemplateRendererTests
{
    private static readonly Dictionary<string, string> Values = new()
    {
        ["dir"] = "/home/core/assets/backup",
        ["evil"] = "x; rm -rf / $(id) 'q' \"d\"",
        ["host.name"] = "master-0",
        ["facts.networkType"] = "OVNKubernetes",
    };

    [Theory]
    [InlineData("restore.sh {{ dir }}", "restore.sh /home/core/assets/backup")]
    [InlineData("restore.sh {{dir}}", "restore.sh /home/core/assets/backup")]
    [InlineData("restore.sh {{   dir\t}}", "restore.sh /home/core/assets/backup")]
    [InlineData("echo {{ evil }}", @"echo 'x; rm -rf / $(id) '\''q'\'' ""d""'")]
    [InlineData("echo {{ host.name }}-{{ facts.networkType }}", "echo master-0-OVNKubernetes")]
    [InlineData("no placeholders } { }}", "no placeholders } { }}")]
    [InlineData(@"oc get csr -o go-template='\{{range .items}}\{{end}}'", "oc get csr -o go-template='{{range .items}}{{end}}'")]
    public void Shell_mode_quotes_each_value(string template, string expected)
    {
        Assert.Equal(expected, TemplateRenderer.Render(template, Values, Escaping.Shell));
    }

    [Fact]
    public void Url_mode_percent_encodes_each_value()
    {
        var values = new Dictionary<string, string> { ["name"] = "a/b c?d=e&f#g" };

        Assert.Equal("/api/v1/nodes/a%2Fb%20c%3Fd%3De%26f%23g/status",
            TemplateRenderer.Render("/api/v1/nodes/{{ name }}/status", values, Escaping.Url));
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("quote \" and backslash \\ and newline \n and tab \t")]
    [InlineData("\"}, \"injected\": {\"x\": \"")]
    [InlineData("control \u0001 and non-ASCII é ☃")]
    public void Json_mode_escapes_string_content_so_the_body_keeps_its_shape(string value)
    {
        var body = TemplateRenderer.Render("""{"spec": {"forceRedeploymentReason": "{{ reason }}"}}""",
            new Dictionary<string, string> { ["reason"] = value }, Escaping.Json);

        using var document = JsonDocument.Parse(body);
        var spec = document.RootElement.GetProperty("spec");
        Assert.Equal(value, spec.GetProperty("forceRedeploymentReason").GetString());
        Assert.Single(spec.EnumerateObject());
        Assert.Single(document.RootElement.EnumerateObject());
    }

    [Fact]
    public void None_mode_inserts_values_as_they_are()
    {
        Assert.Equal("Back up x; rm -rf / $(id) 'q' \"d\" first.",
            TemplateRenderer.Render("Back up {{ evil }} first.", Values, Escaping.None));
    }

    [Fact]
    public void An_unknown_name_throws_with_the_name()
    {
        var ex = Assert.Throws<TemplateException>(() => TemplateRenderer.Render("echo {{ missing }}", Values, Escaping.Shell));

        Assert.Equal("missing", ex.Name);
        Assert.Contains("missing", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("echo {{ two words }}", 6)]
    [InlineData("echo {{ unclosed", 6)]
    [InlineData("x {{}}", 3)]
    [InlineData("{{ 1abc }}", 1)]
    public void A_malformed_placeholder_throws_with_its_position(string template, int position)
    {
        var ex = Assert.Throws<TemplateException>(() => TemplateRenderer.Render(template, Values, Escaping.None));

        Assert.Null(ex.Name);
        Assert.Contains($"at character {position}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void References_lists_names_in_order_and_skips_escaped_braces()
    {
        Assert.Equal(["a", "host.name", "a"], TemplateRenderer.References(@"{{ a }} \{{ b }} {{host.name}} {{ a }}"));
    }
}
