using System.Net;
using Microsoft.Extensions.DependencyInjection;
using RecoveryConsole.Orchestration.Notifications;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Tests.Support;
using RecoveryConsole.Orchestration.Transcript;

namespace RecoveryConsole.Orchestration.Tests.Notifications;

/// <summary>The webhook against a real HTTP listener on 127.0.0.1: who is needed, once, retried, never a secret.</summary>
public sealed class WebhookNotifierTests
{
    private const string Secret = "Pa55-w0rd-never-sent";

    private static string Procedure => TestProcedure.With("""
          - { id: check, title: Check the backup, section: "1", on: recoveryHost, run: "ls /home/core/backup" }
          - { id: restore, title: Run the restore script, section: "2", destructive: true, on: recoveryHost, run: "restore.sh --password {{ password }}" }
        """, parameters: "  - { name: password, type: string, secret: true }");

    private static async Task<Support.Engine> StartAsync(ScriptedHosts hosts, LocalWebhook hook) =>
        await Support.Engine.StartInAsync(await FolderAsync(), new TestCluster(hosts, new NoApi()), services: s => s.AddRunNotifications(new NotificationOptions
        {
            WebhookUrl = hook.Url,
            ConsoleUrl = "https://recovery.example.test/",
            FirstRetryDelay = TimeSpan.FromMilliseconds(20),
            MaxAttempts = 3,
            Timeout = TimeSpan.FromSeconds(5),
        }));

    private static async Task<string> FolderAsync()
    {
        var folder = Support.Engine.NewFolder();
        await File.WriteAllTextAsync(Path.Combine(folder, "procedures", "test.yaml"), Procedure);
        return folder;
    }

    [Fact]
    public async Task A_step_waiting_for_approval_is_posted_once_with_its_run_step_and_requester_and_a_link()
    {
        await using var hook = new LocalWebhook();
        await using var engine = await StartAsync(new ScriptedHosts(), hook);
        var id = await engine.StartRunAsync(Support.Engine.Olivia, new() { ["password"] = Secret });
        await engine.WaitForStatusAsync(id, RunStatus.WaitingForApproval);

        var notice = await hook.WaitForAsync(n => (string?)n["kind"] == RunNotice.ApprovalNeeded, "approval-needed");
        await Task.Delay(300); // later snapshots of the same waiting step are no news

        Assert.Equal(id.ToString(), (string?)notice["runId"]);
        Assert.Equal(("restore", "Run the restore script on m0", "olivia", TestCluster.Name),
            ((string?)notice["step"], (string?)notice["stepTitle"], (string?)notice["requestedBy"], (string?)notice["cluster"]));
        Assert.Equal($"https://recovery.example.test/runs/{id}", (string?)notice["link"]);
        Assert.Single(hook.Received);
        Assert.StartsWith("application/json", hook.Received.Single().ContentType);
        Assert.DoesNotContain(Secret, hook.Received.Single().Body);
    }

    [Fact]
    public async Task A_failed_run_is_posted_with_the_failed_step_and_the_reason_redacted()
    {
        await using var hook = new LocalWebhook();
        var hosts = new ScriptedHosts().When("ls /home/core/backup", 2, $"ls: cannot access: no backup for {Secret}");
        await using var engine = await StartAsync(hosts, hook);
        var id = await engine.StartRunAsync(Support.Engine.Olivia, new() { ["password"] = Secret });
        var failed = await engine.WaitForStatusAsync(id, RunStatus.Failed);

        var notice = await hook.WaitForAsync(n => (string?)n["kind"] == RunNotice.RunFailed, "run-failed");

        Assert.Equal(("check", "Check the backup", "Failed"), ((string?)notice["step"], (string?)notice["stepTitle"], (string?)notice["status"]));
        Assert.False(string.IsNullOrEmpty((string?)notice["reason"]), notice.ToJsonString());
        Assert.Contains("Run failed", (string?)notice["text"]);
        Assert.All(hook.Received, r => Assert.DoesNotContain(Secret, r.Body));
        Assert.Equal(engine.Services.GetRequiredService<Redactor>().Redact(failed.StatusReason!), (string?)notice["reason"]);
    }

    [Fact]
    public async Task A_receiver_that_fails_gets_the_same_notice_again_after_a_wait_and_a_refusal_is_not_retried()
    {
        // The first run's approval notice: 503, then 200 on the retry. The second run's: 400, a refusal for good.
        await using var hook = new LocalWebhook(HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK, HttpStatusCode.BadRequest);
        await using var engine = await StartAsync(new ScriptedHosts(), hook);
        var results = new List<(RunNotice Notice, DeliveryResult Result)>();
        engine.Services.GetRequiredService<WebhookNotifier>().Delivered += (n, r) => { lock (results) results.Add((n, r)); };

        var first = await engine.StartRunAsync(Support.Engine.Olivia, new() { ["password"] = Secret });
        await hook.WaitForAsync(n => (string?)n["runId"] == first.ToString(), "for the first run");
        await engine.Runs.CancelAsync(first, Support.Engine.Olivia, "drill over", CancellationToken.None);
        await engine.WaitForStatusAsync(first, RunStatus.Cancelled);
        var second = await engine.StartRunAsync(Support.Engine.Olivia, new() { ["password"] = Secret });
        await engine.WaitForStatusAsync(second, RunStatus.WaitingForApproval);
        await Eventually.HoldsAsync(() => { lock (results) return results.Count == 2; }, "two notices delivered or given up");

        var received = hook.Received.ToList();
        Assert.Equal([HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK, HttpStatusCode.BadRequest], received.Select(r => r.Answer));
        Assert.Equal(received[0].Body, received[1].Body); // the same notice (same id) again, not a new one
        lock (results)
        {
            Assert.Equal((true, 2), (results[0].Result.Delivered, results[0].Result.Attempts));
            Assert.Equal((false, 1), (results[1].Result.Delivered, results[1].Result.Attempts));
            Assert.Contains("400", results[1].Result.Problem);
        }
    }

    [Fact]
    public void A_webhook_address_that_is_not_http_is_refused_in_words()
    {
        var refused = Assert.Throws<InvalidOperationException>(() => new NotificationOptions { WebhookUrl = "ftp://chat.example/hook" }.Webhook());
        Assert.Contains("is not an http(s) address", refused.Message);
        Assert.Null(new NotificationOptions { WebhookUrl = " " }.Webhook());
    }
}
