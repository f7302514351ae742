using RecoveryConsole.Web.Tests.Support;

namespace RecoveryConsole.Web.Tests.Hosting;

public sealed class NotificationSettingsTests
{
    [Fact]
    public async Task A_webhook_address_that_is_not_http_stops_the_console_from_starting_with_the_setting_named()
    {
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => TestConsole.StartAsync(settings: "--Console:Notifications:WebhookUrl=ftp://chat.example/hook"));
        Assert.Equal("Console:Notifications:WebhookUrl 'ftp://chat.example/hook' is not an http(s) address.", refused.Message);
    }
}
