using System.Net.Http.Headers;
using RecoveryConsole.Transports.Kubernetes.Config;

namespace RecoveryConsole.Transports.Kubernetes.Http;

/// <summary>Adds the bearer token to every request, exec upgrades included (the same handler serves both).</summary>
internal sealed class BearerTokenHandler(BearerToken token, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value());
        return base.SendAsync(request, cancellationToken);
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value());
        return base.Send(request, cancellationToken);
    }
}
