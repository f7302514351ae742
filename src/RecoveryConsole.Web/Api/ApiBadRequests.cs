namespace RecoveryConsole.Web.Api;

/// <summary>
/// A request the framework refuses before an endpoint runs (a body that is not JSON, or not of the operation's shape; a
/// wrong content type) gets a status and an empty body by default. Under /api/v1 it gets problem+json in words instead,
/// so a script's author sees what to fix.
/// </summary>
public static class ApiBadRequests
{
    public static IApplicationBuilder UseApiBadRequestWords(this IApplicationBuilder app) =>
        app.UseWhen(c => c.Request.Path.StartsWithSegments(ApiEndpoints.Prefix), api => api.UseStatusCodePages(async context =>
        {
            var (title, detail) = context.HttpContext.Response.StatusCode switch
            {
                StatusCodes.Status400BadRequest => ("Bad input",
                    "The request could not be read: its body must be JSON of the shape the operation documents (see /openapi/v1.json), with route values of the right type."),
                StatusCodes.Status415UnsupportedMediaType => ("Unsupported content type", "Send the body as application/json."),
                StatusCodes.Status405MethodNotAllowed => ("Method not allowed", $"{context.HttpContext.Request.Method} is not an operation of {context.HttpContext.Request.Path}; see /openapi/v1.json."),
                StatusCodes.Status404NotFound => ("Not found", $"There is no operation at {context.HttpContext.Request.Path}; see /openapi/v1.json."),
                _ => (null, null),
            };
            if (title is null) return;
            await Results.Problem(statusCode: context.HttpContext.Response.StatusCode, title: title, detail: detail).ExecuteAsync(context.HttpContext);
        }));
}
