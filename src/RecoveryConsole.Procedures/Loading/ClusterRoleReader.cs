using System.Text.RegularExpressions;
using RecoveryConsole.Procedures.Model;

namespace RecoveryConsole.Procedures.Loading;

/// <summary>
/// Reads <c>clusters:</c> (the roles of a multi-cluster procedure) and checks each step's <c>cluster:</c> against them:
/// an unknown role, and an API step that names none while several exist, are load errors (which cluster it would
/// change must never be a guess).
/// </summary>
internal static partial class ClusterRoleReader
{
    private static readonly string[] Keys = ["name", "label", "product", "help", "differentFrom", "requires", "downDuringRun"];

    [GeneratedRegex("^[a-z][a-z0-9-]*$")]
    private static partial Regex NamePattern();

    public static List<ClusterRole> ReadAll(LoadContext ctx, YamlMap root)
    {
        var roles = new List<ClusterRole>();
        var differentFrom = new List<(string Role, YamlMap Map)>();
        foreach (var (node, field) in root.List("clusters"))
        {
            var map = YamlMap.Read(ctx, node, field, Keys);
            if (map is null) continue;
            var name = map.String("name", required: true);
            if (name is not null && !NamePattern().IsMatch(name))
            {
                ctx.Error(map.Get("name")!, map.Field("name"), $"'{name}' is not a valid cluster role name (lowercase letters, digits and '-').");
                continue;
            }
            if (name is not null && ctx.ClusterRoles.Contains(name))
            {
                ctx.Error(map.Get("name")!, map.Field("name"), $"cluster role '{name}' is declared twice.");
                continue;
            }
            if (name is not null) ctx.ClusterRoles.Add(name);
            var label = map.String("label") ?? name;
            var requires = new List<string>();
            foreach (var (reqNode, reqField) in map.List("requires"))
            {
                if (ctx.Scalar(reqNode, reqField, required: true) is not { } requirement) continue;
                if (ClusterRequirements.All.Contains(requirement)) requires.Add(requirement);
                else ctx.Error(reqNode, reqField, $"unknown requirement '{requirement}'{Suggestions.DidYouMean(requirement, ClusterRequirements.All)}; known: {string.Join(", ", ClusterRequirements.All)}.");
            }
            if (name is null || label is null) continue;
            var role = new ClusterRole
            {
                Name = name, Label = label, Product = map.String("product"), Help = map.String("help") ?? "",
                DifferentFrom = map.String("differentFrom"), Requires = requires, DownDuringRun = map.Bool("downDuringRun") ?? false,
            };
            if (role.DifferentFrom is not null) differentFrom.Add((name, map));
            roles.Add(role);
        }
        foreach (var (role, map) in differentFrom)
        {
            var other = map.String("differentFrom")!;
            if (other == role) ctx.Error(map.Get("differentFrom")!, map.Field("differentFrom"), $"cluster role '{role}' cannot be different from itself.");
            else if (!ctx.ClusterRoles.Contains(other)) UnknownRole(ctx, map, "differentFrom", other);
        }
        if (root.Get("clusters") is { } node2 && roles.Count == 0 && ctx.Errors.Count == 0)
            ctx.Error(node2, "clusters", "list at least one cluster role, or leave 'clusters' out for a one-cluster procedure.");
        return roles;
    }

    /// <summary>
    /// The role a step (or check) names with <c>cluster:</c>, else the one it inherits; an error for an unknown role and for
    /// an API step, API wait or action without one when the procedure has several roles.
    /// </summary>
    public static string? Resolve(LoadContext ctx, YamlMap map, string field, bool talksToApi, string? inherited)
    {
        var named = map.String("cluster");
        if (named is not null)
        {
            if (ctx.ClusterRoles.Count == 0)
            {
                ctx.Error(map.Get("cluster")!, map.Field("cluster"), $"'cluster: {named}' names a role, but the procedure declares no 'clusters:'.");
                return null;
            }
            if (!ctx.ClusterRoles.Contains(named))
            {
                UnknownRole(ctx, map, "cluster", named);
                return null;
            }
            return named;
        }
        if (inherited is null && talksToApi && ctx.ClusterRoles.Count > 1)
            ctx.Error(map.Node, field, $"this step talks to a cluster's API and the procedure has several clusters: say which with cluster: <{string.Join(" | ", ctx.ClusterRoles)}>.");
        return inherited;
    }

    private static void UnknownRole(LoadContext ctx, YamlMap map, string key, string role) =>
        ctx.Error(map.Get(key)!, map.Field(key),
            $"unknown cluster role '{role}'{Suggestions.DidYouMean(role, ctx.ClusterRoles)}; the procedure declares: {string.Join(", ", ctx.ClusterRoles)}.");
}
