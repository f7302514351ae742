using System.Net.WebSockets;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Transports.Kubernetes.Exec;
using RecoveryConsole.Transports.Kubernetes.Http;

namespace RecoveryConsole.Transports.Kubernetes;

// exec over WebSocket (pods/exec with the v5 or v4 channel protocol).
public sealed partial class KubernetesClient
{
    private const string UpgradeRequired = "Upgrade request required";

    /// <summary>Runs a command in a pod and streams its stdout and stderr as lines to <paramref name="output"/>; returns its exit code.</summary>
    public async Task<ExecResult> ExecAsync(ExecRequest request, IOutputSink output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        var stdout = new LineSplitter(output, OutputStream.Stdout);
        var stderr = new LineSplitter(output, OutputStream.Stderr);
        try
        {
            return await ExecCoreAsync(request, null, (channel, data) =>
            {
                (channel == ExecSession.Stdout ? stdout : stderr).Write(data.Span);
                return ValueTask.CompletedTask;
            }, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            stdout.Flush();
            stderr.Flush();
        }
    }

    /// <summary>
    /// Runs a command with raw streams: stdin sent (and, under v5, closed at its end), stdout written as bytes
    /// (binary-safe, with back-pressure), stderr as lines.
    /// </summary>
    public async Task<ExecResult> ExecAsync(ExecRequest request, ExecStreams streams, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(streams);
        var stderr = streams.Stderr is null ? null : new LineSplitter(streams.Stderr, OutputStream.Stderr);
        try
        {
            return await ExecCoreAsync(request, streams.Stdin, async (channel, data) =>
            {
                if (channel == ExecSession.Stdout && streams.Stdout is not null) await streams.Stdout.WriteAsync(data, cancellationToken).ConfigureAwait(false);
                else if (channel == ExecSession.Stderr) stderr?.Write(data.Span);
            }, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            stderr?.Flush();
        }
    }

    private async Task<ExecResult> ExecCoreAsync(ExecRequest request, Stream? stdin, Func<byte, ReadOnlyMemory<byte>, ValueTask> output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Command.Count == 0) throw new ArgumentException("An exec needs a command.", nameof(request));
        var query = new QueryBuilder();
        foreach (var word in request.Command) query.Add("command", word);
        query.Add("container", request.Container).Add("stdin", stdin is null ? null : "true").Add("stdout", "true").Add("stderr", "true");
        var path = ResourceType.Pods.ObjectPath(request.Namespace, request.Pod, "exec") + query;

        var socket = new ClientWebSocket();
        foreach (var protocol in _options.ExecProtocols) socket.Options.AddSubProtocol(protocol);
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(30);
        socket.Options.SetRequestHeader("User-Agent", _options.UserAgent);
        using var session = new ExecSession(socket);
        using (var connecting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            connecting.CancelAfter(_options.RequestTimeout);
            try
            {
                using var invoker = new HttpMessageInvoker(_handler, disposeHandler: false);
                await socket.ConnectAsync(Url(path, Connection.Server.Scheme == "http" ? "ws" : "wss"), invoker, connecting.Token).ConfigureAwait(false);
            }
            catch (WebSocketException) when (socket.HttpStatusCode is not 0 and not System.Net.HttpStatusCode.SwitchingProtocols)
            {
                throw await ExplainRefusedExecAsync(path, (int)socket.HttpStatusCode, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new ApiUnreachableException(ServerName, $"no answer within {_options.RequestTimeout.TotalSeconds:0.###} s to the exec of {request}");
            }
            catch (Exception e) when ((e is WebSocketException or HttpRequestException) && SentBeforeLost(e))
            {
                // The upgrade request reached the server, which may have started the command before the connection broke.
                throw new KubernetesExecException($"The connection broke while the exec of {request} was being set up, after the request had reached the server (which may have started it); it is unknown whether the command finished.", e);
            }
            catch (Exception e) when (e is WebSocketException or HttpRequestException)
            {
                throw new ApiUnreachableException(ServerName, TransportFailure.Describe(e, _validator), e);
            }
        }
        if (!_options.ExecProtocols.Contains(session.Protocol))
            throw new KubernetesExecException($"The API server agreed to none of the exec protocols offered ({string.Join(", ", _options.ExecProtocols)}); nothing ran.");

        string? status;
        try
        {
            status = await session.RunAsync(stdin, output, cancellationToken).ConfigureAwait(false);
        }
        catch (WebSocketException e)
        {
            throw new KubernetesExecException($"The connection broke during the exec of {request}; it is unknown whether the command finished.", e);
        }
        return new ExecResult(ExecStatus.ExitCode(status, request), session.Protocol);
    }

    /// <summary>
    /// A refused upgrade tells only its status code; the same request without upgrade makes the server say why
    /// (pod not found, container not valid, forbidden) and starts nothing: a plain GET of exec is refused with 400.
    /// </summary>
    private async Task<Exception> ExplainRefusedExecAsync(string path, int status, CancellationToken cancellationToken)
    {
        var answer = await SendCoreAsync("GET", path, null, null, cancellationToken).ConfigureAwait(false);
        if (!answer.IsSuccess && !answer.Body.Contains(UpgradeRequired, StringComparison.Ordinal)) return Failure("GET", path, answer);
        return new KubernetesExecException($"The API server refused to open the exec connection (HTTP {status}); nothing ran.");
    }

    /// <summary>
    /// True when the connection was made and the request sent before it broke (the response ended, was reset): unlike a
    /// connection that was never made (refused, no route, name, TLS), the command may have run.
    /// </summary>
    private static bool SentBeforeLost(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
            if (x is HttpRequestException http)
                return http.HttpRequestError is not (HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError
                    or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError);
        return false;
    }
}
