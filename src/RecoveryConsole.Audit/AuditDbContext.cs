using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using RecoveryConsole.Audit.Entities;
using RecoveryConsole.Audit.Storage;
using RecoveryConsole.Orchestration.Audit;
using RecoveryConsole.Orchestration.Runs;

namespace RecoveryConsole.Audit;

/// <summary>
/// The one SQLite database: runs and their children, the audit log, clusters and the local accounts. Transcripts live in
/// the same file but outside the model (TranscriptLines, TranscriptRuns, TranscriptSearch: raw SQL only, made by the
/// migrations, read and written by <c>Transcript/</c>), since their key is computed (see TranscriptKey).
/// </summary>
public sealed class AuditDbContext(DbContextOptions<AuditDbContext> options)
    : IdentityDbContext<IdentityUser, IdentityRole, string>(options)
{
    public DbSet<Run> Runs => Set<Run>();
    public DbSet<StepExecution> StepExecutions => Set<StepExecution>();
    public DbSet<Approval> Approvals => Set<Approval>();
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
