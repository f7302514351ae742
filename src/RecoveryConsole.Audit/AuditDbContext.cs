using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using RecoveryConsole.Audit.Entities;
using RecoveryConsole.Audit.Storage;
using RecoveryConsole.Orchestration.Audit;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Orchestration.Transcript;

namespace RecoveryConsole.Audit;

/// <summary>The one SQLite database: runs and their children, transcripts, the audit log, clusters and the local accounts.</summary>
public sealed class AuditDbContext(DbContextOptions<AuditDbContext> options)
    : IdentityDbContext<IdentityUser, IdentityRole, string>(options)
{
    public DbSet<Run> Runs => Set<Run>();
    public DbSet<StepExecution> StepExecutions => Set<StepExecution>();
    public DbSet<Approval> Approvals => Set<Approval>();
    public DbSet<TranscriptLine> TranscriptLines => Set<TranscriptLine>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<ClusterRecord> Clusters => Set<ClusterRecord>();
    public DbSet<SecretRecord> Secrets => Set<SecretRecord>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();

    /// <summary>The options every AuditDbContext is built with (host, tests, design time).</summary>
    public static DbContextOptionsBuilder<AuditDbContext> Configure(DbContextOptionsBuilder<AuditDbContext> builder, string connectionString) =>
        (DbContextOptionsBuilder<AuditDbContext>)Configure((DbContextOptionsBuilder)builder, connectionString);

    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder builder, string connectionString) =>
        builder
            .UseSqlite(connectionString, sqlite => sqlite.MigrationsAssembly(typeof(AuditDbContext).Assembly.GetName().Name))
            .AddInterceptors(SqlitePragmaInterceptor.Instance);

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder); // Identity's tables
        builder.ApplyConfigurationsFromAssembly(typeof(AuditDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter, UtcInstantComparer>();
    }
}
