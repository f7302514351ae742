using RecoveryConsole.Procedures.Catalog;
using RecoveryConsole.Procedures.Loading;
using RecoveryConsole.Procedures.Model;
using RecoveryConsole.Procedures.Tests.Support;

namespace RecoveryConsole.Procedures.Tests.Catalog;

/// <summary>The UI cites a procedure's source by the document's title and section, never by its file name.</summary>
public sealed class DocumentTitlesTests
{
    [Fact]
    public void Every_shipped_procedure_cites_its_document_by_title_and_section()
    {
        var catalog = ProcedureCatalog.Load(Repository.ProceduresFolder, ProcedureLoaderOptions.Default);

        Assert.NotEmpty(catalog.Procedures);
        foreach (var procedure in catalog.Procedures)
        {
            var cited = procedure.Source.Cited;
            Assert.DoesNotContain(".txt", cited, StringComparison.Ordinal);
            Assert.EndsWith($", section {procedure.Source.Section}", cited, StringComparison.Ordinal);
        }
        Assert.Equal("OpenShift Container Platform 4: 5.3 Disaster recovery, section 5.3.2.2",
            catalog.Find("ocp4-restore-previous-state")!.Source.Cited);
    }

    [Fact]
    public void An_unknown_document_is_shown_by_its_name()
    {
        Assert.Equal("notes.txt, section 2", new SourceReference("notes.txt", "2").Cited);
    }
}
