using RecoveryConsole.Orchestration.Transcript;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Web.Tests.Exports;

namespace RecoveryConsole.Orchestration.Tests.Transcript;

/// <summary>
/// The one-scan fast path of <see cref="SecretShapes.Redact"/> skips a line only when no shape's own test could pass on it:
/// every shape of the shared table, line by line, in other letter cases and inside other text, comes out exactly as the
/// full per-shape path makes it, and no secret of the table gets through.
/// </summary>
[Trait("Category", "Security")]
public sealed class SecretShapesFastPathTests
{
    public static TheoryData<string> Shapes() => [.. SecretShapeTable.Shapes.Select(s => s.Id)];

    private static IEnumerable<string> Variants(string printed)
    {
        foreach (var line in printed.Split('\n').Append(printed))
        {
            yield return line;
            yield return line.ToUpperInvariant();
            yield return line.ToLowerInvariant();
            yield return $"+ step output: {line} (done)";
            yield return $"{{\"log\":\"{line}\"}}";
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void The_fast_path_redacts_every_shape_exactly_as_the_full_path(string id)
    {
        var shape = SecretShapeTable.Shapes.Single(s => s.Id == id);
        foreach (var text in Variants(shape.Printed))
        {
            var full = SecretShapes.RedactShapes(text);
            Assert.Equal(full, SecretShapes.Redact(text));
            if (full != text) Assert.True(SecretShapes.MayHoldShape(text), $"a line the full path changes was judged shape-free: {text}");
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void No_secret_of_the_table_gets_through_a_redactor_line_by_line(string id)
    {
        var shape = SecretShapeTable.Shapes.Single(s => s.Id == id);
        var redactor = new Redactor();
        var run = Guid.NewGuid();
        var output = string.Join('\n', shape.Printed.Split('\n').Select(l => redactor.RedactLine(run, "step", "master-0", OutputStream.Stdout, l)));
        foreach (var secret in shape.Secrets) Assert.DoesNotContain(secret, output, StringComparison.Ordinal);
        foreach (var kept in shape.Kept) Assert.Contains(kept, output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_line_with_no_anchor_is_left_as_it_is_and_one_with_an_anchor_is_looked_at()
    {
        const string Plain = "I1122 03:00:00.000000 1 controller.go:42] line 42 of a chatty step";
        Assert.False(SecretShapes.MayHoldShape(Plain));
        Assert.Same(Plain, SecretShapes.Redact(Plain));
        // Each anchor in a case the per-shape tests do not look for still counts (the scan ignores case): a superset.
        foreach (var anchored in new[] { "TOKEN=x", "Pass: y", "sEcReT", "api KEY", "AUTH", "http://h", "a -- b", "oc login -p", "EYJ", "Sha256~", "akia" })
            Assert.True(SecretShapes.MayHoldShape(anchored), anchored);
    }

    [Fact]
    public void Registered_secrets_are_found_by_one_scan_longest_first_and_a_new_one_is_found_at_once()
    {
        var redactor = new Redactor();
        redactor.AddSecret("kubeadmin-pass-0001");
        Assert.Equal($"login {Redactor.Mask} ok", redactor.Redact("login kubeadmin-pass-0001 ok"));
        redactor.AddSecret("kubeadmin-pass-0001-and-more");
        Assert.Equal($"a {Redactor.Mask} b {Redactor.Mask}", redactor.Redact("a kubeadmin-pass-0001-and-more b kubeadmin-pass-0001"));
        Assert.Equal("nothing registered here", redactor.Redact("nothing registered here"));
    }

    [Fact]
    public void A_private_key_left_open_when_its_run_ends_is_forgotten()
    {
        var redactor = new Redactor();
        var run = Guid.NewGuid();
        var other = Guid.NewGuid();
        Assert.Equal(0, redactor.OpenKeyStreams);
        redactor.RedactLine(run, "cat-key", "master-0", OutputStream.Stdout, "-----BEGIN RSA PRIVATE KEY-----");
        redactor.RedactLine(run, "cat-key", "master-1", OutputStream.Stdout, "-----BEGIN RSA PRIVATE KEY-----");
        redactor.RedactLine(other, "cat-key", "master-0", OutputStream.Stdout, "-----BEGIN RSA PRIVATE KEY-----");
        Assert.Equal(Redactor.KeyLineMask, redactor.RedactLine(run, "cat-key", "master-0", OutputStream.Stdout, "MIIEowIBAAKCAQEAcutOffKey"));
        Assert.Equal(3, redactor.OpenKeyStreams);

        redactor.ForgetRun(run);
        Assert.Equal(1, redactor.OpenKeyStreams);
        // The other run still follows its key; an END closes it and its bookkeeping goes too.
        Assert.Equal(Redactor.KeyLineMask, redactor.RedactLine(other, "cat-key", "master-0", OutputStream.Stdout, "MIIEowIBAAKCAQEAotherRun"));
        redactor.RedactLine(other, "cat-key", "master-0", OutputStream.Stdout, "-----END RSA PRIVATE KEY-----");
        Assert.Equal(0, redactor.OpenKeyStreams);
    }
}
