using System.Text;
using Microsoft.AspNetCore.Http;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Lab.ApiServer;

internal static class LabApiResponses
{
    public static async Task WriteAsync(HttpContext context, ApiResponse response, int? retryAfterSeconds = null)
    {
        context.Response.StatusCode = response.Status;
        // Health endpoints answer plain "ok"; everything else is JSON (objects or Status).
        context.Response.ContentType = response.Body.StartsWith('{') ? "application/json" : "text/plain; charset=utf-8";
        if (retryAfterSeconds is { } seconds) context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var bytes = Encoding.UTF8.GetBytes(response.Body);
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
    }
}
