using System.Net.Sockets;
using System.Security.Authentication;

namespace RecoveryConsole.Transports.Kubernetes.Http;

/// <summary>Turns the exceptions of a failed connection into the sentence an operator needs ("connection refused", "certificate expired").</summary>
internal static class TransportFailure
{
    public static string Describe(Exception error, ServerCertificateValidator validator)
    {
        if (error is HttpRequestException http)
        {
            switch (http.HttpRequestError)
            {
                case HttpRequestError.NameResolutionError:
                    return "its host name does not resolve (DNS)";
                case HttpRequestError.SecureConnectionError:
                    return "the TLS handshake failed: " + (validator.LastRejection ?? Innermost(error));
                case HttpRequestError.ProxyTunnelError:
                    return "the proxy refused the connection: " + Innermost(error);
            }
        }
        if (Find<AuthenticationException>(error) is not null) return "the TLS handshake failed: " + (validator.LastRejection ?? Innermost(error));
        if (Find<SocketException>(error) is { } socket)
        {
            return socket.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => "connection refused (nothing listens on that port)",
                SocketError.TimedOut => "the connection timed out",
                SocketError.HostUnreachable or SocketError.NetworkUnreachable => "no route to the host",
                SocketError.ConnectionReset => "the connection was reset",
                _ => socket.Message,
            };
        }
        return Innermost(error);
    }

    private static T? Find<T>(Exception error) where T : Exception
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is T match) return match;
        }
        return null;
    }

    private static string Innermost(Exception error)
    {
        var e = error;
        while (e.InnerException is not null) e = e.InnerException;
        return e.Message;
    }
}
