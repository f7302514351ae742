using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using RecoveryConsole.Audit.Storage;

namespace RecoveryConsole.Audit;

/// <summary>Lets `dotnet ef migrations add` build the context without a host (see add-migration.sh).</summary>
public sealed class AuditDbContextDesignTimeFactory : IDesignTimeDbContextFactory<AuditDbContext>
{
    public AuditDbContext CreateDbContext(string[] args)
    {
        var path = Path.Combine(Path.GetTempPath(), "recoveryconsole-design", "audit.db");
        var options = new AuditStoreOptions(path);
        return new AuditDbContext(AuditDbContext.Configure(new DbContextOptionsBuilder<AuditDbContext>(), options.ConnectionString).Options);
    }
}
