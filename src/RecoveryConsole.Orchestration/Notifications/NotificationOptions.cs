namespace RecoveryConsole.Orchestration.Notifications;

/// <summary>"Console:Notifications": an optional outbound JSON POST when someone is needed (chat, paging tools).</summary>
public sealed class NotificationOptions
{
    /// <summary>Where notices are POSTed; empty: no notifications. http(s) only.</summary>
    public string? WebhookUrl { get; set; }
    /// <summary>The console's address as people open it (e.g. https://recovery.example.com), for a link to the run; empty: no link.</summary>
    public string? ConsoleUrl { get; set; }
    /// <summary>Tries per notice before it is given up (and logged as lost).</summary>
    public int MaxAttempts { get; set; } = 8;
    /// <summary>The wait before the first retry; doubled after each failure up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(2);
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>One POST's time limit; a receiver slower than this counts as a failure and is retried.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The webhook's address, or null when none is set; a malformed one is refused at start-up in words.</summary>
    public Uri? Webhook()
    {
        if (string.IsNullOrWhiteSpace(WebhookUrl)) return null;
        if (!Uri.TryCreate(WebhookUrl.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new InvalidOperationException($"Console:Notifications:WebhookUrl '{WebhookUrl}' is not an http(s) address.");
        return uri;
    }
}
