using RecoveryConsole.Orchestration.Audit;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Tests.Support;

namespace RecoveryConsole.Orchestration.Tests.Engine;

/// <summary>
/// The console's real folder watch: files in a temp folder edited under a running engine. The periodic rescan is set
/// far out, so what is seen here was seen through the FileSystemWatcher.
/// </summary>
public sealed class ProcedureReloadTests
{
    private const string Steps = """
          - { id: dns, title: Update DNS, section: "3.1 step 9", manual: "Point the API name at the new hosts." }
          - { id: after, title: After, section: "3.1 step 10", on: recoveryHost, run: "echo VERSION-after" }
          - { id: last, title: Last, section: "3.1 step 11", on: recoveryHost, run: "fail-once" }
        """;

    private static string Version(string v) => TestProcedure.With(Steps.Replace("VERSION", v, StringComparison.Ordinal));

    private static Task<Support.Engine> StartAsync(ScriptedHosts hosts, string folder) =>
        Support.Engine.StartAsync(new TestCluster(hosts, new NoApi()), Version("v1"), folder, o =>
        {
            o.ProcedureReloadDelay = TimeSpan.FromMilliseconds(100);
            o.ProcedureRescanInterval = TimeSpan.FromMinutes(10);
        });

    private static string FileOf(Support.Engine engine) => Path.Combine(engine.Folder, "procedures", "test.yaml");

    private static async Task Until(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"The watch never saw: {what}");
            await Task.Delay(25);
        }
    }

    [Fact]
    public async Task Edits_are_picked_up_a_broken_one_keeps_the_good_version_until_fixed_and_a_delete_removes()
    {
        await using var engine = await StartAsync(new ScriptedHosts(), Support.Engine.NewFolder());
        var v1 = engine.Catalog.Find("test")!;

        await File.WriteAllTextAsync(FileOf(engine), Version("v2"));
        await Until(() => engine.Catalog.Find("test")!.VersionHash != v1.VersionHash, "the v2 edit");
        var v2 = engine.Catalog.Find("test")!;
        Assert.Contains("echo v2-after", v2.Steps[1].Run!.Template, StringComparison.Ordinal);

        await File.WriteAllTextAsync(FileOf(engine), Version("v3").Replace("on: recoveryHost, run: \"fail-once\"", "on: recoveryHost, runn: \"fail-once\"", StringComparison.Ordinal));
        await Until(() => engine.Catalog.Invalid.Count > 0, "the broken edit");
        Assert.Same(v2, engine.Catalog.Find("test")); // still offered
        var broken = Assert.Single(engine.Catalog.Invalid);
        var error = broken.Errors.First();
        Assert.Equal(FileOf(engine), broken.File);
        Assert.True(error.Line > 0, error.ToString());
        Assert.Contains("runn", error.Field + error.Message, StringComparison.Ordinal);
        Assert.Same(v2, broken.KeptVersion);

        await File.WriteAllTextAsync(FileOf(engine), Version("v4"));
        await Until(() => engine.Catalog.Invalid.Count == 0, "the fix");
        Assert.Contains("echo v4-after", engine.Catalog.Find("test")!.Steps[1].Run!.Template, StringComparison.Ordinal);

        File.Delete(FileOf(engine));
        await Until(() => engine.Catalog.Find("test") is null, "the delete");

        var audit = await engine.Audit.ListAsync(null, CancellationToken.None);
        Assert.Contains(audit, e => e.Kind == AuditKinds.ProcedureReloaded && e.Detail.Contains(v2.VersionHash, StringComparison.Ordinal) && e.Detail.Contains("test.yaml", StringComparison.Ordinal));
        Assert.Contains(audit, e => e.Kind == AuditKinds.ProcedureRejected && e.Detail.StartsWith($"test.yaml@{broken.VersionHash[..12]} (test): line {error.Line}", StringComparison.Ordinal)
            && e.Detail.EndsWith($"test@{v2.VersionHash[..12]} stays in service", StringComparison.Ordinal));
        Assert.Contains(audit, e => e.Kind == AuditKinds.ProcedureRemoved && e.Detail.StartsWith("test@", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_run_started_before_an_edit_keeps_its_version_and_resume_refuses_the_changed_file()
    {
        var hosts = new ScriptedHosts().When("fail-once", 1);
        await using var engine = await StartAsync(hosts, Support.Engine.NewFolder());
        var v1 = engine.Catalog.Find("test")!;
        var id = await engine.StartRunAsync();
        await engine.WaitForStatusAsync(id, RunStatus.WaitingForOperator);

        await File.WriteAllTextAsync(FileOf(engine), Version("v2"));
        await Until(() => engine.Catalog.Find("test")!.VersionHash != v1.VersionHash, "the v2 edit");
        await engine.Runs.ConfirmAsync(id, "dns", Support.Engine.Olivia, "DNS points at the new hosts", CancellationToken.None);
        var failed = await engine.WaitForStatusAsync(id, RunStatus.Failed);

        Assert.Equal(1, hosts.Count("echo v1-after")); // the steps it started with
        Assert.Equal(0, hosts.Count("echo v2-after"));
        Assert.Equal(v1.VersionHash, failed.ProcedureVersionHash);
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            engine.Runs.ResumeAsync(id, Support.Engine.Olivia, "host fixed", CancellationToken.None));
        Assert.Contains("The procedure file changed since this run started", refused.Message, StringComparison.Ordinal);
    }
}
