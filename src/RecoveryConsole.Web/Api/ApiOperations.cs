using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing.Patterns;

namespace RecoveryConsole.Web.Api;

/// <summary>One operation of the API, as the /api page lists it: from the same endpoint metadata the OpenAPI document is made of.</summary>
public sealed record ApiOperation(string Method, string Path, string Tag, string Summary, string Description)
{
    /// <summary>A curl line a script can start from (the token in $RC_TOKEN).</summary>
    public string Curl(string baseUri)
    {
        var body = Method is "POST" ? " -H 'Content-Type: application/json' -d '{...}'" : "";
        return $"curl -sf{(Method == "GET" ? "" : $" -X {Method}")} -H \"Authorization: Bearer $RC_TOKEN\"{body} {baseUri.TrimEnd('/')}{Path}";
    }
}

public static class ApiOperations
{
    public static IReadOnlyList<ApiOperation> List(EndpointDataSource endpoints) =>
        endpoints.Endpoints.OfType<RouteEndpoint>()
            .Where(e => ("/" + e.RoutePattern.RawText?.TrimStart('/')).StartsWith(ApiEndpoints.Prefix + "/", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => new ApiOperation(m, Path(e.RoutePattern),
                e.Metadata.GetMetadata<ITagsMetadata>()?.Tags.FirstOrDefault() ?? "",
                e.Metadata.GetMetadata<IEndpointSummaryMetadata>()?.Summary ?? "",
                e.Metadata.GetMetadata<IEndpointDescriptionMetadata>()?.Description ?? "")))
            .OrderBy(o => o.Tag, StringComparer.Ordinal).ThenBy(o => o.Path, StringComparer.Ordinal).ThenBy(o => o.Method, StringComparer.Ordinal)
            .ToList();

    /// <summary>The route as a client writes it: parameters without their constraints ("{id}", not "{id:guid}").</summary>
    private static string Path(RoutePattern pattern) =>
        "/" + string.Join('/', pattern.PathSegments.Select(s => string.Concat(s.Parts.Select(p => p switch
        {
            RoutePatternLiteralPart l => l.Content,
            RoutePatternParameterPart r => "{" + r.Name + "}",
            RoutePatternSeparatorPart sep => sep.Content,
            _ => "",
        }))));
}
