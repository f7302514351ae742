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

    [Fact]
    public async Task Procedure_reload_settings_come_from_the_console_section_and_impossible_ones_stop_the_start_in_words()
    {
        await using (var console = await TestConsole.StartAsync(settings: ["--Console:ProcedureReloadDelay=00:00:02", "--Console:ProcedureRescanInterval=00:05:00"]))
        {
            var options = console.Get<Microsoft.Extensions.Options.IOptions<RecoveryConsole.Orchestration.Engine.OrchestrationOptions>>().Value;
            Assert.Equal(TimeSpan.FromSeconds(2), options.ProcedureReloadDelay);
            Assert.Equal(TimeSpan.FromMinutes(5), options.ProcedureRescanInterval);
        }
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => TestConsole.StartAsync(settings: "--Console:ProcedureRescanInterval=00:00:00.2"));
        Assert.Equal("Console:ProcedureRescanInterval 00:00:00.2000000 must be at least 1 second.", refused.Message);
    }
}
