using RecoveryConsole.Procedures.Catalog;
using RecoveryConsole.Web.Tests.Support;

namespace RecoveryConsole.Web.Tests.Hosting;

/// <summary>
/// The console, as `dotnet run` starts it, loads every shipped procedure file with the actions it registers (the cloud
/// steps of the hosted migration included): a file naming an action the console does not have would be listed invalid.
/// </summary>
public sealed class ShippedProceduresTests
{
    [Fact]
    public async Task Every_shipped_procedure_loads_with_the_consoles_own_actions()
    {
        var folder = Path.Combine(RepositoryRoot(), "procedures");
        await using var console = await TestConsole.StartAsync(proceduresFolder: folder);
        var catalog = console.Get<ProcedureCatalog>();

        var errors = catalog.Invalid.SelectMany(i => i.Errors).Select(e => e.ToString()).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        foreach (var file in Directory.GetFiles(folder, "*.yaml"))
            Assert.NotNull(catalog.Find(Path.GetFileNameWithoutExtension(file)));
        Assert.NotNull(catalog.Find("hosted-aws-migration"));
        Assert.NotNull(catalog.Find("hosted-etcd-restore-on-premises"));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "RecoveryConsole.sln"))) return dir.FullName;
        throw new InvalidOperationException("RecoveryConsole.sln not found above " + AppContext.BaseDirectory);
    }
}
