using RecoveryConsole.Procedures.Catalog;
using RecoveryConsole.Procedures.Tests.Support;

namespace RecoveryConsole.Procedures.Tests.Catalog;

/// <summary>Reloading a folder of real files: per file, a good version is never lost to a bad edit.</summary>
public sealed class ProcedureCatalogReloadTests : IDisposable
{
    private readonly TempFolder folder = new();

    private static string Procedure(string id, string title = "T", string action = "approveCsrs") => $$"""
        id: {{id}}
        title: {{title}}
        source: { document: d.txt, section: "1" }
        steps:
          - { id: s, title: S, section: "1", action: {{action}} }

        """;

    [Fact]
    public void A_changed_valid_file_replaces_the_old_version_and_says_so()
    {
        folder.Write("a.yaml", Procedure("alpha", "First"));
        var catalog = ProcedureCatalog.Load(folder.Path, DemoCluster.Options);
        var first = catalog.Find("alpha")!;
        var changes = new List<CatalogReload>();
        catalog.Changed += changes.Add;

        folder.Write("a.yaml", Procedure("alpha", "Second"));
        var reload = catalog.Reload();

        Assert.Equal("Second", catalog.Find("alpha")!.Title);
        Assert.NotEqual(first.VersionHash, catalog.Find("alpha")!.VersionHash);
        Assert.Equal("First", first.Title); // what a run already holds is untouched
        Assert.Equal(["alpha"], reload.Loaded.Select(p => p.Id));
        Assert.Same(reload, Assert.Single(changes));
        Assert.True(catalog.Reload().IsEmpty); // an unchanged folder changes nothing and raises nothing
        Assert.Single(changes);
    }

    [Fact]
    public void A_broken_edit_keeps_the_good_version_and_reports_file_line_and_field_until_fixed()
    {
        var clock = new ManualClock(DateTimeOffset.Parse("2026-12-03T08:00:00Z", null));
        var file = folder.Write("a.yaml", Procedure("alpha", "Good"));
        var catalog = ProcedureCatalog.Load(folder.Path, DemoCluster.Options, clock);
        var good = catalog.Find("alpha")!;

        folder.Write("a.yaml", Procedure("alpha", "Bad", action: "approveEverything"));
        var rejected = catalog.Reload();

        Assert.Same(good, catalog.Find("alpha")); // still offered, in its last good version
        var invalid = Assert.Single(catalog.Invalid);
        Assert.Equal(invalid, Assert.Single(rejected.Rejected));
        Assert.Empty(rejected.Removed);
        Assert.Equal(file, invalid.File);
        var error = Assert.Single(invalid.Errors);
        Assert.Equal(5, error.Line);
        Assert.Contains("action", error.Field, StringComparison.Ordinal);
        Assert.Same(good, invalid.KeptVersion);
        Assert.Same(invalid, catalog.Current.NewerVersionInvalid("alpha"));
        Assert.Equal(64, invalid.VersionHash.Length);
        Assert.NotEqual(good.VersionHash, invalid.VersionHash);
        Assert.Equal(clock.Now, invalid.Since);

        clock.Now = clock.Now.AddMinutes(5);
        Assert.True(catalog.Reload().IsEmpty); // the same bad content stays reported since it was first seen
        Assert.Equal(DateTimeOffset.Parse("2026-12-03T08:00:00Z", null), Assert.Single(catalog.Invalid).Since);

        folder.Write("a.yaml", Procedure("alpha", "Fixed"));
        var fixedReload = catalog.Reload();

        Assert.Empty(catalog.Invalid);
        Assert.Null(catalog.Current.NewerVersionInvalid("alpha"));
        Assert.Equal("Fixed", catalog.Find("alpha")!.Title);
        Assert.Equal(file, Assert.Single(fixedReload.Cleared).File);
    }

    [Fact]
    public void Reverting_a_broken_edit_to_the_good_content_clears_the_report()
    {
        var good = Procedure("alpha", "Good");
        folder.Write("a.yaml", good);
        var catalog = ProcedureCatalog.Load(folder.Path, DemoCluster.Options);
        folder.Write("a.yaml", "id: alpha\ntitle: [unclosed\n");
        catalog.Reload();
        Assert.Single(catalog.Invalid);

        folder.Write("a.yaml", good);
        var reload = catalog.Reload();

        Assert.False(reload.IsEmpty); // same procedure version as before, but the report must go
        Assert.Empty(catalog.Invalid);
        Assert.Empty(reload.Loaded);
    }

    [Fact]
    public void A_deleted_file_removes_its_procedure()
    {
        var file = folder.Write("a.yaml", Procedure("alpha"));
        folder.Write("b.yaml", Procedure("beta"));
        var catalog = ProcedureCatalog.Load(folder.Path, DemoCluster.Options);
        var held = catalog.Find("alpha")!;

        File.Delete(file);
        var reload = catalog.Reload();

        Assert.Null(catalog.Find("alpha"));
        Assert.Equal(["beta"], catalog.Procedures.Select(p => p.Id));
        Assert.Same(held, Assert.Single(reload.Removed));
        Assert.Equal("alpha", held.Id); // a run that holds it keeps it
    }

    [Fact]
    public void A_deleted_broken_file_takes_its_kept_version_and_its_report_with_it()
    {
        var file = folder.Write("a.yaml", Procedure("alpha"));
        var catalog = ProcedureCatalog.Load(folder.Path, DemoCluster.Options);
        folder.Write("a.yaml", "id: alpha\ntitle: [unclosed\n");
        catalog.Reload();

        File.Delete(file);
        catalog.Reload();

        Assert.Empty(catalog.Procedures);
        Assert.Empty(catalog.Invalid);
    }

    [Fact]
    public void A_new_file_with_a_taken_id_is_rejected_even_when_it_sorts_first()
    {
        folder.Write("b-original.yaml", Procedure("same", "Original"));
        var catalog = ProcedureCatalog.Load(folder.Path, DemoCluster.Options);

        var newcomer = folder.Write("a-newcomer.yaml", Procedure("same", "Newcomer"));
        var reload = catalog.Reload();

        Assert.Equal("Original", catalog.Find("same")!.Title);
        var invalid = Assert.Single(reload.Rejected);
        Assert.Equal(newcomer, invalid.File);
        var error = Assert.Single(invalid.Errors);
        Assert.Equal((1, "id"), (error.Line, error.Field));
        Assert.Contains("already used by b-original.yaml", error.Message, StringComparison.Ordinal);
        Assert.Empty(reload.Loaded);
    }

    [Fact]
    public void A_valid_file_cannot_take_the_id_a_broken_file_still_serves()
    {
        folder.Write("b.yaml", Procedure("same", "Original"));
        var catalog = ProcedureCatalog.Load(folder.Path, DemoCluster.Options);
        folder.Write("b.yaml", "id: same\ntitle: [unclosed\n");
        catalog.Reload();

        var other = folder.Write("a.yaml", Procedure("same", "Other"));
        catalog.Reload();

        Assert.Equal("Original", catalog.Find("same")!.Title);
        Assert.Contains(catalog.Invalid, i => i.File == other && i.Errors.Single().Field == "id");
    }

    public void Dispose() => folder.Dispose();

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now;
    }
}
