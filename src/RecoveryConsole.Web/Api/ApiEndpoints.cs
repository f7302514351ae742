using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using RecoveryConsole.Web.Api.Tokens;

namespace RecoveryConsole.Web.Api;

/// <summary>
/// The HTTP API under /api/v1, for scripts and CI: bearer personal tokens only (a cookie is not accepted, so no
/// cross-site request can act with a signed-in browser's session and no antiforgery token is needed), and the same
/// services the pages and the hub call. Its OpenAPI document is /openapi/v1.json, listed on the /api page.
/// </summary>
public static class ApiEndpoints
{
    public const string Prefix = "/api/v1";
    public const string Policy = "api-token";
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/v1.json";

    public static IServiceCollection AddConsoleApi(this IServiceCollection services)
    {
        services.AddScoped<ApiTokens>();
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ApiTokenAuthentication>(ApiTokenAuthentication.SchemeName, null);
        services.AddAuthorizationBuilder().AddPolicy(Policy, p => p.AddAuthenticationSchemes(ApiTokenAuthentication.SchemeName).RequireAuthenticatedUser());
        // Statuses and stream kinds as words in requests, responses and the document, as the hub sends them.
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        services.AddOpenApi(DocumentName, o =>
        {
            // Only the API: the sign-in form, exports and artifacts are for browsers and described on their pages.
            o.ShouldInclude = d => d.RelativePath?.StartsWith(Prefix[1..], StringComparison.Ordinal) == true;
            o.AddDocumentTransformer<ApiDocument>();
        });
        return services;
    }

    public static IEndpointRouteBuilder MapConsoleApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup(Prefix).RequireAuthorization(Policy).DisableAntiforgery();
        api.MapProceduresApi().MapClustersApi().MapRunsApi().MapLabApi();
        // The document describes the API, not a secret: readable without a token, as the signing key is.
        endpoints.MapOpenApi(DocumentPath.Replace(DocumentName, "{documentName}", StringComparison.Ordinal)).AllowAnonymous();
        return endpoints;
    }
}
