using System.Text.RegularExpressions;
using RecoveryConsole.Procedures.Model;
using RecoveryConsole.Procedures.Rendering;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace RecoveryConsole.Procedures.Loading;

/// <summary>State of one file's load: where errors go, and the declared parameters names are checked against.</summary>
internal sealed class LoadContext(string file, ProcedureLoaderOptions options)
{
    public string File { get; } = file;
    public ProcedureLoaderOptions Options { get; } = options;
    public List<ProcedureError> Errors { get; } = [];
    public Dictionary<string, ParameterDefinition> Parameters { get; } = new(StringComparer.Ordinal);

    /// <summary>Cluster roles the procedure declares (<c>clusters:</c>), in order; empty for a one-cluster procedure.</summary>
    public List<string> ClusterRoles { get; } = [];

    /// <summary>The role the group being read names, inherited by its steps.</summary>
    public string? GroupCluster { get; set; }

    /// <summary>Run variables the procedure declares: captures, inputs and forEach item names.</summary>
    public HashSet<string> Variables { get; } = new(StringComparer.Ordinal);

    private readonly List<(string Name, YamlNode Node, string Field)> _variableReferences = [];

    /// <summary>A name whose root is a variable (<c>vips</c>, <c>item.address</c>); checked after all steps were read.</summary>
    public void ReferVariable(string name, YamlNode node, string field) => _variableReferences.Add((name, node, field));

    public void CheckVariableReferences()
    {
        foreach (var (name, node, field) in _variableReferences)
        {
            if (Variables.Contains(RootOf(name))) continue;
            var known = Parameters.Keys.Concat(Variables).Concat([BuiltInNames.Host, BuiltInNames.HostName, BuiltInNames.HostAddress,
                BuiltInNames.ClusterName, BuiltInNames.ClusterVersion]);
            Error(node, field, $"'{{{{ {name} }}}}' is not a declared parameter, variable or built-in name{Suggestions.DidYouMean(name, known)}.");
        }
    }

    public static string RootOf(string name) => name.Split('.')[0];

    public void Error(YamlNode node, string field, string message) => Error(node.Start, field, message);

    public void Error(Mark mark, string field, string message) =>
        Errors.Add(new ProcedureError(File, (int)mark.Line, (int)mark.Column, field, message));

    /// <summary>The text of a scalar; null (with an error when <paramref name="required"/>) when it is empty or not a scalar.</summary>
    public string? Scalar(YamlNode node, string field, bool required)
    {
        if (node is not YamlScalarNode scalar)
        {
            Error(node, field, $"must be a single value, not {Describe(node)}.");
            return null;
        }
        if (IsNull(scalar) || (required && scalar.Value!.Trim().Length == 0))
        {
            if (required)
                Error(node, field, "must have a value.");
            return null;
        }
        return scalar.Value;
    }

    public static bool IsNull(YamlScalarNode scalar) =>
        scalar.Value is null
        || (scalar.Style == ScalarStyle.Plain && scalar.Value is "" or "~" or "null" or "Null" or "NULL");

    public static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode s => $"'{s.Value}'",
        _ => "an alias",
    };

    /// <summary>
    /// Checks a template's placeholders: each must be a declared parameter or a built-in, and the host
    /// built-ins only where the step has a host.
    /// </summary>
    public void CheckTemplate(string template, YamlNode node, string field, bool hostInScope)
    {
        IEnumerable<string> names;
        try
        {
            names = TemplateRenderer.References(template);
        }
        catch (TemplateException ex)
        {
            Error(node, field, ex.Message);
            return;
        }
        foreach (var name in names.Distinct(StringComparer.Ordinal))
        {
            if (Parameters.ContainsKey(name) || BuiltInNames.IsClusterName(name) || HostSetNames.IsHostSet(name))
                continue;
            // A host parameter's address and name: {{ recoveryHost.address }}; a list's length: {{ lostHosts.length }}.
            if (name.Split('.') is [var root, "address" or "name" or "length"] && Parameters.ContainsKey(root))
                continue;
            if (BuiltInNames.IsHostName(name))
            {
                if (!hostInScope)
                    Error(node, field, $"'{{{{ {name} }}}}' needs a host, but this runs on none (add on: or forEach:).");
                continue;
            }
            ReferVariable(name, node, field);
        }
    }

    public void CheckRegex(string pattern, YamlNode node, string field)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.Multiline);
        }
        catch (ArgumentException ex)
        {
            Error(node, field, $"'{pattern}' is not a valid regular expression: {ex.Message}");
        }
    }
}
