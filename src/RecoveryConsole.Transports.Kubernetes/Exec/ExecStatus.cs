using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RecoveryConsole.Transports.Kubernetes.Exec;

/// <summary>
/// Reads the Status object of channel 3: <c>Success</c> is 0; <c>NonZeroExitCode</c> carries the code in
/// details.causes[reason=ExitCode].message; anything else is a failure to run, not an exit code.
/// </summary>
internal static class ExecStatus
{
    public static int ExitCode(string? json, ExecRequest request)
    {
        if (json is null)
            throw new KubernetesExecException($"The exec of {request} ended without an exit status (the connection was lost?); it is unknown whether the command finished.");
        JsonObject? status;
        try
        {
            status = JsonNode.Parse(json) as JsonObject;
        }
        catch (JsonException e)
        {
            throw new KubernetesExecException($"The exec of {request} sent an unreadable exit status.", e);
        }
        if ((string?)status?["status"] == "Success") return 0;
        var message = (string?)status?["message"] ?? "(no message)";
        if ((string?)status?["reason"] == "NonZeroExitCode")
        {
            var cause = (status?["details"]?["causes"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(c => (string?)c["reason"] == "ExitCode");
            if (int.TryParse((string?)cause?["message"], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var code)) return code;
            throw new KubernetesExecException($"The exec of {request} failed with a non-zero exit code the server did not state: {message}");
        }
        throw new KubernetesExecException($"The exec of {request} could not run: {message}");
    }
}
