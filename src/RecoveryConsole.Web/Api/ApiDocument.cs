using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi.Models;
using RecoveryConsole.Web.Api.Tokens;

namespace RecoveryConsole.Web.Api;

/// <summary>The document's title, how to authenticate (a personal token as bearer) and that every operation needs it.</summary>
internal sealed class ApiDocument : IOpenApiDocumentTransformer
{
    public const string SchemeName = "PersonalToken";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "RecoveryConsole API",
            Version = "v1",
            Description = "What the console's pages do, for scripts and CI: procedures, clusters, runs (start, follow, approve, reject, confirm, "
                + "answer, cancel, resume, retry) and the lab's game days. Authenticate with a personal API token (make one on /account/tokens): "
                + "`Authorization: Bearer rc_...`. A token acts as its account with at most the roles it was given; the server applies the same "
                + "checks as the pages (roles per cluster, four-eyes). Refusals are problem+json: 400 bad input, 401 no valid token, 403 role or "
                + "four-eyes, 404 missing or not visible to you, 409 not in a state that allows it.",
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = ApiTokenSecret.Prefix + "...",
            Description = "A personal API token, shown once when it is made on /account/tokens.",
        };
        document.SecurityRequirements.Add(new OpenApiSecurityRequirement
        {
            [new OpenApiSecurityScheme { Reference = new OpenApiReference { Type = ReferenceType.SecurityScheme, Id = SchemeName } }] = [],
        });
        return Task.CompletedTask;
    }
}
