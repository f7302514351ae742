using Microsoft.AspNetCore.Http;
using RecoveryConsole.Lab.Api;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Lab.ApiServer;

/// <summary>
/// <c>GET .../pods/{pod}/exec?command=...</c> upgraded to a WebSocket: the request is validated against the pod first
/// (404, 400 as a real server answers), then the subprotocol is the first of the server's that the client offers.
/// </summary>
internal sealed class LabExecEndpoint(LabKubernetesApi api, LabApiServerOptions options)
{
    public async Task HandleAsync(HttpContext context, string target)
    {
        LabExecRequest request;
        try
        {
            request = api.PrepareExec(target);
        }
        catch (KubeApiException e)
        {
            await LabApiResponses.WriteAsync(context, e.ToResponse()).ConfigureAwait(false);
            return;
        }
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await LabApiResponses.WriteAsync(context, KubeStatus.Failure(400, "BadRequest", "Upgrade request required")).ConfigureAwait(false);
            return;
        }
        var offered = context.WebSockets.WebSocketRequestedProtocols;
        var protocol = options.ExecProtocols.FirstOrDefault(p => offered.Contains(p, StringComparer.Ordinal));
        if (protocol is null)
        {
            var message = $"unable to upgrade connection: none of the offered subprotocols ({string.Join(", ", offered)}) is supported; this server speaks {string.Join(", ", options.ExecProtocols)}";
            await LabApiResponses.WriteAsync(context, KubeStatus.Failure(400, "BadRequest", message)).ConfigureAwait(false);
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync(protocol).ConfigureAwait(false);
        using var session = new LabExecSession(socket, protocol == LabApiServerOptions.ChannelV5);
        await session.RunAsync(api.ExecHandler ?? LabExecHandlers.NoProcess, request, context.RequestAborted).ConfigureAwait(false);
    }
}
