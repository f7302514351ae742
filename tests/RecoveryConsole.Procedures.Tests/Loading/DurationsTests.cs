using RecoveryConsole.Procedures.Model;

namespace RecoveryConsole.Procedures.Tests.Loading;

/// <summary>The duration syntax procedure files use (timeout, every, delay), read by the shared <see cref="Durations"/>.</summary>
public sealed class DurationsTests : LoaderTestBase
{
    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("10s", 10_000)]
    [InlineData("5m", 300_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("1h2m3s", 3_723_000)]
    public void Parses(string text, long milliseconds)
    {
        Assert.True(Durations.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("10")]
    [InlineData("5 m")]
    [InlineData("1d")]
    [InlineData("-5s")]
    public void Rejects(string? text)
    {
        Assert.False(Durations.TryParse(text, out _));
    }

    [Theory]
    [InlineData("0s", "not a positive duration")]
    [InlineData("99999999999h", "not a positive duration")]
    public void The_loader_reports_unusable_durations_instead_of_crashing(string timeout, string message)
    {
        var error = SingleError(Base + $"  - {{ id: s2, title: S2, section: '2', on: recoveryHost, run: echo, timeout: {timeout} }}\n");

        Assert.Equal((14, "steps[1].timeout"), (error.Line, error.Field));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
