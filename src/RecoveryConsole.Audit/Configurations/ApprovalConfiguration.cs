using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RecoveryConsole.Orchestration.Runs;

namespace RecoveryConsole.Audit.Configurations;

internal sealed class ApprovalConfiguration : IEntityTypeConfiguration<Approval>
{
    public void Configure(EntityTypeBuilder<Approval> builder)
    {
        builder.ToTable("Approvals");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).ValueGeneratedOnAdd();

        builder.Property(a => a.StepPath).HasMaxLength(500).IsRequired();
        builder.Property(a => a.StepTitle).HasMaxLength(500).IsRequired();
        builder.Property(a => a.RequestedBy).HasMaxLength(256).IsRequired();
        builder.Property(a => a.DecidedBy).HasMaxLength(256);
        builder.Property(a => a.Decision).HasConversion<string>().HasMaxLength(32);
        builder.Property(a => a.BindingHash).HasMaxLength(64);
        builder.Property(a => a.BindingText);
        builder.Property(a => a.ReviewedBy).HasMaxLength(256);

        builder.HasIndex(a => a.RunId);
    }
}
