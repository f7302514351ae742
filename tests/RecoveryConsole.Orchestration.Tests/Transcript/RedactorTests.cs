using RecoveryConsole.Orchestration.Transcript;

namespace RecoveryConsole.Orchestration.Tests.Transcript;

[Trait("Category", "Security")]
public sealed class RedactorTests
{
    [Fact]
    public void A_known_multi_line_secret_is_masked_line_by_line_but_its_PEM_frame_and_short_lines_are_not_registered()
    {
        var redactor = new Redactor();
        redactor.AddSecret("-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMx\nab\n-----END RSA PRIVATE KEY-----\n");

        // Output carries a secret one line at a time, often without the BEGIN line before it (tail, grep, a cut-off copy).
        Assert.Equal($"line 2: {Redactor.Mask}", redactor.Redact("line 2: MIIEowIBAAKCAQEAu1SU1LfVLPHCozMx"));
        Assert.Equal("-----END RSA PRIVATE KEY-----", redactor.Redact("-----END RSA PRIVATE KEY-----"));
        Assert.Equal("ab cd", redactor.Redact("ab cd"));
    }

    [Fact]
    public async Task A_megabyte_long_line_is_redacted_in_linear_time()
    {
        // jsonpath and base64 print whole objects on one line; every shape must scan it once, not once per position.
        var letters = new string('a', 1_000_000);
        var line = $"data: {letters}= {letters}:// --{letters} token";
        var redact = Task.Run(() => new Redactor().Redact(line));

        var finished = await Task.WhenAny(redact, Task.Delay(TimeSpan.FromSeconds(60)));

        Assert.True(finished == redact, "redacting one long line took over a minute");
        Assert.StartsWith("data: aaaa", await redact, StringComparison.Ordinal);
    }
}
