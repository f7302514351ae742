using System.Net;
using System.Net.Http.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Transcript;

namespace RecoveryConsole.Orchestration.Notifications;

/// <summary>
/// POSTs a <see cref="RunNotice"/> as JSON to <see cref="NotificationOptions.WebhookUrl"/> when a step waits for approval or
/// a run fails. Delivery is in order and apart from the run: a receiver that is down delays notices, never a step.
/// Network errors, timeouts, 408, 429 and 5xx are retried with doubling waits (the run's clock); other 4xx mean the
/// receiver refuses this notice for good, which is logged and the next one sent. Only the webhook's scheme and host are
/// ever logged: chat webhooks carry their secret in the path.
/// </summary>
public sealed class WebhookNotifier(RunFeed feed, Redactor redactor, IOptions<NotificationOptions> options, TimeProvider clock,
    ILogger<WebhookNotifier> logger) : BackgroundService
{
    private const int QueueCapacity = 1_000;
    private readonly NotificationOptions _options = options.Value;
    private readonly Uri? _webhook = options.Value.Webhook();

    /// <summary>Notices delivered, given up or refused; for tests and the log.</summary>
    public event Action<RunNotice, DeliveryResult>? Delivered;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_webhook is null) return;
        var queue = Channel.CreateBounded<RunNotice>(new BoundedChannelOptions(QueueCapacity) { FullMode = BoundedChannelFullMode.DropOldest });
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan }; // each attempt has its own limit
        var deliver = DeliverAllAsync(http, queue.Reader, stoppingToken);
        var detector = new NoticeDetector(redactor, _options.ConsoleUrl);
        try
        {
            await foreach (var view in feed.WatchAsync(stoppingToken))
                foreach (var notice in detector.Notices(view))
                    queue.Writer.TryWrite(notice);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
        queue.Writer.TryComplete();
        await deliver;
    }

    private async Task DeliverAllAsync(HttpClient http, ChannelReader<RunNotice> queue, CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var notice in queue.ReadAllAsync(stoppingToken))
            {
                var result = await DeliverAsync(http, notice, stoppingToken);
                Delivered?.Invoke(notice, result);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    private async Task<DeliveryResult> DeliverAsync(HttpClient http, RunNotice notice, CancellationToken stoppingToken)
    {
        var delay = _options.FirstRetryDelay;
        string? problem = null;
        for (var attempt = 1; attempt <= Math.Max(1, _options.MaxAttempts); attempt++)
        {
            if (attempt > 1)
            {
                await Task.Delay(delay, clock, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxRetryDelay.Ticks));
            }
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            timeout.CancelAfter(_options.Timeout);
            try
            {
                using var response = await http.PostAsJsonAsync(_webhook, notice, timeout.Token);
                if (response.IsSuccessStatusCode) return new DeliveryResult(true, attempt, null);
                problem = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
                if (!Retryable(response.StatusCode))
                {
                    logger.LogWarning("Notification {Id} ({Kind}) refused by {Webhook}: {Problem}; not retried.", notice.Id, notice.Kind, _webhook!.GetLeftPart(UriPartial.Authority), problem);
                    return new DeliveryResult(false, attempt, problem);
                }
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                problem = $"no answer within {_options.Timeout.TotalSeconds:0.#} s";
            }
            catch (HttpRequestException e)
            {
                problem = e.Message;
            }
            logger.LogInformation("Notification {Id} ({Kind}) not delivered (attempt {Attempt}): {Problem}.", notice.Id, notice.Kind, attempt, problem);
        }
        logger.LogError("Notification {Id} ({Kind}) given up after {Attempts} attempts: {Problem}.", notice.Id, notice.Kind, _options.MaxAttempts, problem);
        return new DeliveryResult(false, _options.MaxAttempts, problem);
    }

    private static bool Retryable(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;
}

/// <summary>How a notice's delivery ended: delivered on which attempt, or why not.</summary>
public sealed record DeliveryResult(bool Delivered, int Attempts, string? Problem);
