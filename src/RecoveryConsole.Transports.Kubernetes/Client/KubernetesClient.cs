using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Transports.Kubernetes.Config;
using RecoveryConsole.Transports.Kubernetes.Http;

namespace RecoveryConsole.Transports.Kubernetes;

/// <summary>
/// A Kubernetes API client for one kubeconfig context: the engine's <see cref="IKubernetesApi"/> (HTTP errors are
/// answers) plus typed calls that throw <see cref="KubernetesApiException"/> subclasses. Every request goes through
/// one path: TLS as the kubeconfig says, a per-request timeout, bounded retries for idempotent requests only, and
/// transport failures as <see cref="ApiUnreachableException"/> with a sentence saying why.
/// </summary>
public sealed partial class KubernetesClient : IKubernetesApi, IDisposable
{
    private readonly HttpMessageHandler _handler;
    private readonly HttpClient _http;
    private readonly ServerCertificateValidator _validator;
    private readonly KubernetesClientOptions _options;
    private readonly ILogger _logger;
    private readonly bool _ownsConnection;

    /// <summary>A client for a resolved context; the caller keeps owning (and disposes) <paramref name="connection"/>.</summary>
    public KubernetesClient(KubernetesConnection connection, KubernetesClientOptions? options = null)
        : this(connection, options, ownsConnection: false)
    {
    }

    private KubernetesClient(KubernetesConnection connection, KubernetesClientOptions? options, bool ownsConnection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        Connection = connection;
        _options = options ?? new KubernetesClientOptions();
        if (_options.Retry.MaxAttempts < 1) throw new ArgumentOutOfRangeException(nameof(options), "Retry.MaxAttempts must be at least 1.");
        _logger = _options.Logger ?? NullLogger.Instance;
        _ownsConnection = ownsConnection;
        _validator = new ServerCertificateValidator(connection.Authorities, connection.TlsServerName, connection.InsecureSkipTlsVerify);
        _handler = KubernetesHandlerFactory.Create(connection, _validator, _options.ConnectTimeout);
        _http = new HttpClient(_handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>Loads a kubeconfig file and connects to <paramref name="context"/> (or its current context).</summary>
    public static KubernetesClient FromKubeconfig(string path, string? context = null, KubernetesClientOptions? options = null)
    {
        var connection = Kubeconfig.Load(path).Resolve(context, options?.TimeProvider);
        return new KubernetesClient(connection, options, ownsConnection: true);
    }

    /// <summary>Parses kubeconfig text (as pasted into the console) and connects to <paramref name="context"/>.</summary>
    public static KubernetesClient FromKubeconfigText(string text, string? context = null, KubernetesClientOptions? options = null)
    {
        var connection = Kubeconfig.Parse(text).Resolve(context, options?.TimeProvider);
        return new KubernetesClient(connection, options, ownsConnection: true);
    }

    public KubernetesConnection Connection { get; }

    /// <summary>What the operator must see on every run that uses this client (insecure TLS, expiring certificates).</summary>
    public IReadOnlyList<string> Warnings => Connection.Warnings;

    public Uri Server => Connection.Server;

    /// <summary>The kubeconfig context's namespace; typed calls never apply it implicitly.</summary>
    public string DefaultNamespace => Connection.Namespace;

    private string ServerName => Connection.Server.GetLeftPart(UriPartial.Authority);

    /// <summary>One request for the engine: any HTTP status is an answer; only a failed transport throws.</summary>
    public async Task<ApiResponse> SendAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = await SendCoreAsync(request.Method.ToUpperInvariant(), request.Path, request.Body, request.ContentType, cancellationToken).ConfigureAwait(false);
        return new ApiResponse(response.Status, response.Body);
    }

    public void Dispose()
    {
        _http.Dispose();
        _handler.Dispose();
        if (_ownsConnection) Connection.Dispose();
    }

    public override string ToString() => $"Kubernetes API {ServerName} ({Connection})";

    internal sealed record RawResponse(int Status, string Body, int Attempts)
    {
        public bool IsSuccess => Status is >= 200 and < 300;
    }

    internal async Task<RawResponse> SendCoreAsync(string method, string path, string? body, string? contentType, CancellationToken cancellationToken)
    {
        var idempotent = RetryPolicy.IsIdempotent(method, body);
        for (var attempt = 1; ; attempt++)
        {
            using var request = NewRequest(method, path, body, contentType);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.RequestTimeout);
            int status;
            string text;
            RetryConditionHeaderValue? retryAfter;
            try
            {
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
                status = (int)response.StatusCode;
                retryAfter = response.Headers.RetryAfter;
                text = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new ApiUnreachableException(ServerName, $"no answer within {_options.RequestTimeout.TotalSeconds:0.###} s to {method} {path}");
            }
            catch (Exception e) when (e is HttpRequestException or IOException)
            {
                throw new ApiUnreachableException(ServerName, TransportFailure.Describe(e, _validator), e);
            }

            if (idempotent && RetryPolicy.IsRetryableStatus(status) && attempt < _options.Retry.MaxAttempts)
            {
                var delay = RetryPolicy.Delay(_options.Retry, attempt, retryAfter, _options.TimeProvider.GetUtcNow());
                _logger.LogWarning("{Method} {Path} answered HTTP {Status}; retrying in {Delay} ms (attempt {Next} of {Max})",
                    method, path, status, (long)delay.TotalMilliseconds, attempt + 1, _options.Retry.MaxAttempts);
                await Task.Delay(delay, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
                continue;
            }
            return new RawResponse(status, text, attempt);
        }
    }

    internal HttpRequestMessage NewRequest(string method, string path, string? body, string? contentType)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), Url(path));
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.UserAgent.ParseAdd(_options.UserAgent);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType ?? "application/json");
        }
        return request;
    }

    /// <summary>The server's base address (which may carry a path, as behind Rancher) joined with an API path.</summary>
    internal Uri Url(string path, string scheme = "")
    {
        if (!path.StartsWith('/')) throw new ArgumentException($"An API path starts with '/': {path}", nameof(path));
        var baseUrl = Connection.Server.GetLeftPart(UriPartial.Path).TrimEnd('/');
        if (scheme.Length > 0) baseUrl = scheme + baseUrl[baseUrl.IndexOf(':', StringComparison.Ordinal)..];
        return new Uri(baseUrl + path);
    }

    internal KubernetesApiException Failure(string method, string path, RawResponse response, string? contentType = null) =>
        KubernetesApiException.FromResponse(method, path, response.Status, response.Body, response.Attempts, contentType, Connection.UserName);
}
