namespace RecoveryConsole.Procedures.Tests.Loading;

/// <summary>Mistakes outside steps: the document, its parameters and its preflight checks.</summary>
public sealed class DocumentValidationTests : LoaderTestBase
{
    [Theory]
    [InlineData("id: t\n", "id: Bad_Id\n", 1, "id", "not a valid procedure id")]
    [InlineData("title: T\n", "", 1, "title", "'title' is required")]
    [InlineData("source: { document: d.txt, section: \"1\" }\n", "", 1, "source", "'source' is required")]
    [InlineData("section: \"1\" }", "}", 3, "source.section", "'section' is required")]
    [InlineData("title: T", "title: T\nowner: me", 3, "owner", "unknown key 'owner'")]
    [InlineData("title: T", "title: T\nsteps2: []", 3, "steps2", "(did you mean 'steps'?)")]
    public void Reports_document_mistakes(string find, string replace, int line, string field, string message)
    {
        var error = SingleError(Base.Replace(find, replace, StringComparison.Ordinal));

        Assert.Equal((line, field), (error.Line, error.Field));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    // Each case replaces the backupDir parameter (line 6).
    [Theory]
    [InlineData("{ name: host, type: host }", "parameters[1].name", "reserved")]
    [InlineData("{ name: 2fast, type: string }", "parameters[1].name", "not a valid name")]
    [InlineData("{ name: p, type: text }", "parameters[1].type", "unknown type 'text'")]
    [InlineData("{ name: p, type: enum }", "parameters[1].choices", "needs a non-empty list of choices")]
    [InlineData("{ name: p, type: enum, choices: [a, a] }", "parameters[1].choices[1]", "listed twice")]
    [InlineData("{ name: p, type: string, choices: [a] }", "parameters[1].choices", "only to enum parameters")]
    [InlineData("{ name: p, type: string, pattern: '([a-z' }", "parameters[1].pattern", "not a valid regular expression")]
    [InlineData("{ name: p, type: int, pattern: '[0-9]+' }", "parameters[1].pattern", "only to string parameters")]
    [InlineData("{ name: p, type: path, from: workers }", "parameters[1].from", "only to host and hostList parameters")]
    [InlineData("{ name: p, type: host, from: masters }", "parameters[1].from", "not a host set")]
    [InlineData("{ name: p, type: path, default: relative/dir }", "parameters[1].default", "must be an absolute path")]
    [InlineData("{ name: p, type: bool, default: maybe }", "parameters[1].default", "must be true or false")]
    [InlineData("{ name: p, type: int, default: many }", "parameters[1].default", "must be a whole number")]
    [InlineData("{ name: p, type: enum, choices: [a, b], default: c }", "parameters[1].default", "must be one of a, b")]
    [InlineData("{ name: p, type: string, pattern: '[A-Z]+', default: abc }", "parameters[1].default", "'abc' does not have the expected form")]
    [InlineData("{ name: p, type: string, patternHelp: Capitals }", "parameters[1].patternHelp", "describes a 'pattern'; this parameter has none")]
    [InlineData("{ name: p, type: string, required: sometimes }", "parameters[1].required", "must be true or false")]
    [InlineData("{ name: recoveryHost, type: host }", "parameters[1].name", "declared twice")]
    [InlineData("{ name: p, type: string, lable: P }", "parameters[1].lable", "(did you mean 'label'?)")]
    public void Reports_parameter_mistakes(string parameter, string field, string message)
    {
        var yaml = Base.Replace("{ name: backupDir, type: path, default: /backup }", parameter, StringComparison.Ordinal)
            .Replace("echo {{ backupDir }}", "echo", StringComparison.Ordinal);

        var error = SingleError(yaml);

        Assert.Equal((6, field), (error.Line, error.Field));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_host_parameter_without_from_picks_from_all_hosts()
    {
        var procedure = LoadValid(Base.Replace("type: host, from: controlPlaneHosts", "type: host", StringComparison.Ordinal));

        Assert.Equal("allHosts", procedure.Parameters[0].From);
    }

    // Each case adds a preflight list before the steps (its first check starts on line 9).
    [Theory]
    [InlineData("  - { id: c, title: C, run: echo ok }", 9, "preflight[0].run", "a command needs a host")]
    [InlineData("  - { id: c, title: C, on: recoveryHost, run: echo, api: { method: GET, path: /version } }", 9, "preflight[0]", "exactly one of 'run' or 'api'")]
    [InlineData("  - { id: c, title: C, api: { method: GET, path: /version }, expect: { status: ok } }", 9, "preflight[0].expect.status", "whole number")]
    [InlineData("  - { id: c, title: C, api: { method: GET, path: /version }, failureMesage: x }", 9, "preflight[0].failureMesage", "(did you mean 'failureMessage'?)")]
    [InlineData("  - { id: c, title: C, api: { method: GET, path: /version } }\n  - { id: c, title: D, api: { method: GET, path: /version } }", 10, "preflight[1].id", "check id 'c' is used twice")]
    [InlineData("  - { id: c, title: C, on: masters, run: echo }", 9, "preflight[0].on", "use forEach")]
    public void Reports_preflight_mistakes(string checks, int line, string field, string message)
    {
        var yaml = Base.Replace("steps:", "preflight:\n" + checks + "\nsteps:", StringComparison.Ordinal);

        var error = SingleError(yaml);

        Assert.Equal((line, field), (error.Line, error.Field));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_yaml_syntax_error_names_its_line()
    {
        var error = SingleError(Base + "  - id: s2\n    title: [unclosed\n");

        Assert.Equal("", error.Field);
        Assert.StartsWith("YAML syntax error", error.Message, StringComparison.Ordinal);
        Assert.InRange(error.Line, 15, 16);
    }

    [Fact]
    public void A_duplicate_key_is_an_error()
    {
        var result = Load(Base.Replace("title: T", "title: T\ntitle: U", StringComparison.Ordinal));

        var error = Assert.Single(result.Errors);
        Assert.Equal(3, error.Line);
        Assert.Contains("Duplicate key", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void An_empty_file_is_an_error()
    {
        var error = SingleError("");

        Assert.Contains("empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_documents_in_one_file_are_an_error()
    {
        var error = SingleError(Base + "---\nid: other\n");

        Assert.Contains("exactly one YAML document", error.Message, StringComparison.Ordinal);
        Assert.Equal(15, error.Line);
    }

    [Fact]
    public void A_document_that_is_not_a_mapping_is_an_error()
    {
        var error = SingleError("- just\n- a list\n");

        Assert.Equal((1, 1, ""), (error.Line, error.Column, error.Field));
        Assert.Contains("must be a mapping", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_procedure_without_steps_is_an_error()
    {
        var error = SingleError(Base[..Base.IndexOf("steps:", StringComparison.Ordinal)]);

        Assert.Equal("steps", error.Field);
    }
}
