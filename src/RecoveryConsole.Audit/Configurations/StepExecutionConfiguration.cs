using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RecoveryConsole.Orchestration.Runs;

namespace RecoveryConsole.Audit.Configurations;

internal sealed class StepExecutionConfiguration : IEntityTypeConfiguration<StepExecution>
{
    public void Configure(EntityTypeBuilder<StepExecution> builder)
    {
        builder.ToTable("StepExecutions");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedOnAdd();

        builder.Property(s => s.StepPath).HasMaxLength(500).IsRequired();
        builder.Property(s => s.Host).HasMaxLength(256).IsRequired();
        builder.Property(s => s.Title).HasMaxLength(500).IsRequired();
        builder.Property(s => s.Status).HasConversion<string>().HasMaxLength(32);
        builder.Property(s => s.OutputsJson);
        builder.Property(s => s.InputRequestJson);

        builder.HasIndex(s => s.RunId);
    }
}
