using RecoveryConsole.Procedures.Catalog;
using RecoveryConsole.Procedures.Loading;
using RecoveryConsole.Procedures.Tests.Support;

namespace RecoveryConsole.Procedures.Tests.Catalog;

public sealed class ProcedureCatalogTests : IDisposable
{
    private readonly TempFolder folder = new();

    private static string Procedure(string id) => $$"""
        id: {{id}}
        title: Procedure {{id}}
        source: { document: d.txt, section: "1" }
        steps:
          - { id: s, title: S, section: "1", action: approveCsrs }

        """;

    [Fact]
    public void Loads_yaml_and_yml_files_and_finds_them_by_id()
    {
        folder.Write("a.yaml", Procedure("alpha"));
        folder.Write("b.yml", Procedure("beta"));
        folder.Write("notes.txt", "not a procedure");

        var catalog = ProcedureCatalog.Load(folder.Path, DemoCluster.Options);

        Assert.Equal(["alpha", "beta"], catalog.Procedures.Select(p => p.Id));
        Assert.Empty(catalog.Invalid);
        Assert.Equal("Procedure beta", catalog.Find("beta")!.Title);
        Assert.Null(catalog.Find("gamma"));
    }

    [Fact]
    public void A_bad_file_is_listed_as_invalid_and_the_others_stay_available()
    {
        folder.Write("a.yaml", Procedure("alpha"));
        var bad = folder.Write("b.yaml", "id: broken\ntitle: [unclosed\n");
        var wrong = folder.Write("c.yaml", Procedure("gamma").Replace("approveCsrs", "approveEverything", StringComparison.Ordinal));

        var catalog = ProcedureCatalog.Load(folder.Path, DemoCluster.Options);

        Assert.Equal(["alpha"], catalog.Procedures.Select(p => p.Id));
        Assert.Equal([bad, wrong], catalog.Invalid.Select(i => i.File));
        Assert.All(catalog.Invalid, i => Assert.NotEmpty(i.Errors));
        Assert.Equal("gamma", catalog.Invalid[1].Id);
        Assert.Equal(5, catalog.Invalid[1].Errors.Single().Line);
    }

    [Fact]
    public void A_duplicate_id_makes_the_second_file_invalid()
    {
        folder.Write("1-first.yaml", Procedure("same"));
        var second = folder.Write("2-second.yaml", Procedure("same"));

        var catalog = ProcedureCatalog.Load(folder.Path, DemoCluster.Options);

        Assert.Equal("Procedure same", Assert.Single(catalog.Procedures).Title);
        Assert.Equal("1-first.yaml", Path.GetFileName(catalog.Find("same")!.FilePath));
        var invalid = Assert.Single(catalog.Invalid);
        Assert.Equal(second, invalid.File);
        var error = Assert.Single(invalid.Errors);
        Assert.Equal((1, 5, "id"), (error.Line, error.Column, error.Field));
        Assert.Contains("already used by 1-first.yaml", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_folder_gives_an_empty_catalog_that_says_why()
    {
        var missing = Path.Combine(folder.Path, "nowhere");

        var catalog = ProcedureCatalog.Load(missing, DemoCluster.Options);

        Assert.Empty(catalog.Procedures);
        var invalid = Assert.Single(catalog.Invalid);
        Assert.Equal(missing, invalid.File);
        Assert.Contains("does not exist", invalid.Errors.Single().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_repository_procedures_folder_loads_cleanly()
    {
        // Any action name: the orchestration drills load the same files with the engine's real actions.
        var catalog = ProcedureCatalog.Load(Repository.ProceduresFolder, ProcedureLoaderOptions.Default);

        var errors = catalog.Invalid.SelectMany(i => i.Errors).Select(e => e.ToString()).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        Assert.NotNull(catalog.Find("ocp4-restore-previous-state"));
        Assert.NotNull(catalog.Find("ocp4-expired-certificates"));
        Assert.NotNull(catalog.Find("hosted-etcd-restore-on-premises"));
        Assert.Null(catalog.Find("sample-drill")); // a test fixture, not shipped
    }

    public void Dispose() => folder.Dispose();
}
