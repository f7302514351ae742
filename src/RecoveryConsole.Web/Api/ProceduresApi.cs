using RecoveryConsole.Procedures.Catalog;
using RecoveryConsole.Procedures.Model;

namespace RecoveryConsole.Web.Api;

/// <summary>GET /api/v1/procedures: what can be started, with the parameters and cluster roles a start needs.</summary>
public static class ProceduresApi
{
    public sealed record ProcedureParameter(string Name, string Type, string Label, string Help, string? Default, bool Required, string? From,
        IReadOnlyList<string> Choices, string? PatternHelp, bool Secret);

    public sealed record ProcedureClusterRole(string Name, string Label, string? Product, string? DifferentFrom);

    public sealed record ProcedureSummary(string Id, string Title, string Summary, string Document, string Section, string Product, string Versions,
        string VersionHash, IReadOnlyList<ProcedureClusterRole> Clusters, IReadOnlyList<ProcedureParameter> Parameters);

    public static RouteGroupBuilder MapProceduresApi(this RouteGroupBuilder api)
    {
        api.MapGet("/procedures", (ProcedureCatalog catalog) => catalog.Procedures.OrderBy(p => p.Id, StringComparer.Ordinal).Select(Summary).ToList())
            .WithName("ListProcedures").WithTags("Procedures")
            .WithSummary("List the procedures")
            .WithDescription("The valid procedures of the catalog, with what a start needs: parameters (secret ones are never echoed back) and, for "
                + "multi-cluster procedures, the cluster roles to map in POST /runs. Any role may read it.");
        return api;
    }

    private static ProcedureSummary Summary(Procedure p) => new(p.Id, p.Title, p.Summary, p.Source.Document, p.Source.Section, p.Applies.Product,
        p.Applies.Versions, p.VersionHash,
        p.Clusters.Select(c => new ProcedureClusterRole(c.Name, c.Label, c.Product, c.DifferentFrom)).ToList(),
        p.Parameters.Select(d => new ProcedureParameter(d.Name, d.Type.ToString(), d.Label, d.Help, d.Secret ? null : d.Default, d.Required, d.From,
            d.Choices, d.PatternHelp, d.Secret)).ToList());
}
