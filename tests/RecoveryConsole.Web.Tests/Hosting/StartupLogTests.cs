using Microsoft.Extensions.Logging;
using RecoveryConsole.Web.Tests.Support;

namespace RecoveryConsole.Web.Tests.Hosting;

public sealed class StartupLogTests
{
    [Fact]
    public async Task A_fresh_console_starts_without_warnings_from_background_work_that_ran_before_the_migrations()
    {
        var log = new CapturedLog();
        await using var console = await TestConsole.StartAsync(configure: b => b.Logging.AddProvider(log));
        // The search indexer starts its first pass after start-up; give it that pass.
        await Task.Delay(TimeSpan.FromSeconds(1));

        // The first account's password is shown as a warning on purpose (once, so it is seen); nothing else may warn.
        var warnings = log.Entries.Where(e => e.Level >= LogLevel.Warning && e.Category.StartsWith("RecoveryConsole", StringComparison.Ordinal)
                                              && e.Category != typeof(RecoveryConsole.Web.Accounts.AccountSeeder).FullName).ToList();
        Assert.True(warnings.Count == 0, string.Join("\n", warnings.Select(w => $"{w.Category}: {w.Message}")));
    }
}
