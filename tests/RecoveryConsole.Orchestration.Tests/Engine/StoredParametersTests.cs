using RecoveryConsole.Orchestration.Audit;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Tests.Support;
using RecoveryConsole.Orchestration.Transcript;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Tests.Engine;

/// <summary>A token pasted into a plain (non-secret) parameter: used by the run, never stored or audited, asked again on resume.</summary>
[Trait("Category", "Security")]
public sealed class StoredParametersTests
{
    private const string Token = "sha256~pAsTeDiNtOaTeXtFiElD0123456789";

    [Fact]
    public async Task A_token_in_a_plain_parameter_is_sent_but_stored_and_audited_redacted_and_must_be_entered_again_to_resume()
    {
        var attempts = 0;
        var hosts = new ScriptedHosts().When("registry-check", (_, c, o, _) =>
        {
            o.Line(OutputStream.Stdout, "checked");
            return Task.FromResult(Interlocked.Increment(ref attempts) == 1 ? 1 : 0);
        });
        var yaml = TestProcedure.With("""
              - { id: check, title: Check, section: "1", on: recoveryHost, run: "registry-check {{ registryLogin }}" }
            """, parameters: "  - { name: registryLogin, type: string }");
        await using var engine = await Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), yaml);

        var id = await engine.StartRunAsync(parameters: new() { ["registryLogin"] = $"--token={Token}" });
        var run = await engine.WaitForAsync(id, r => r.Status == RunStatus.Failed && !engine.Runs.IsActive(id), "failed and no longer executing");

        Assert.Contains($"registry-check '--token={Token}'", hosts.CommandsOn("m0"));
        Assert.DoesNotContain(Token, run.ParametersJson, StringComparison.Ordinal);
        Assert.Contains("--token=[REDACTED]", run.ParametersJson, StringComparison.Ordinal);
        var created = Assert.Single(await engine.Audit.ListAsync(id, CancellationToken.None), e => e.Kind == AuditKinds.RunCreated);
        Assert.Contains("--token=[REDACTED]", created.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(await engine.Audit.ListAsync(id, CancellationToken.None), e => e.Detail.Contains(Token, StringComparison.Ordinal));

        // The stored value lost its token: resuming with it would send "[REDACTED]" to the host.
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => engine.Runs.ResumeAsync(id, Support.Engine.Olivia, "registry back", CancellationToken.None));
        Assert.Contains("registryLogin", refused.Message, StringComparison.Ordinal);
        await engine.Runs.ResumeAsync(id, Support.Engine.Olivia, "registry back", CancellationToken.None,
            new Dictionary<string, string?> { ["registryLogin"] = $"--token={Token}" });
        await engine.WaitForStatusAsync(id, RunStatus.Succeeded);
        Assert.Equal(2, hosts.CommandsOn("m0").Count(c => c == $"registry-check '--token={Token}'"));
        Assert.DoesNotContain(await engine.TranscriptAsync(id), l => l.Text.Contains(Token, StringComparison.Ordinal));
    }
}
