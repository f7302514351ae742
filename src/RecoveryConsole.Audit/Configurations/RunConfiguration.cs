using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RecoveryConsole.Orchestration.Runs;

namespace RecoveryConsole.Audit.Configurations;

internal sealed class RunConfiguration : IEntityTypeConfiguration<Run>
{
    public void Configure(EntityTypeBuilder<Run> builder)
    {
        builder.ToTable("Runs");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).ValueGeneratedNever();

        builder.Property(r => r.ProcedureId).HasMaxLength(200).IsRequired();
        builder.Property(r => r.ProcedureTitle).HasMaxLength(500).IsRequired();
        builder.Property(r => r.ProcedureVersionHash).HasMaxLength(128).IsRequired();
        builder.Property(r => r.ClusterName).HasMaxLength(200).IsRequired();
        builder.Property(r => r.ParametersJson).IsRequired();
        // A multi-cluster run's role → cluster map; null for the one-cluster runs that are most of them.
        builder.Property(r => r.ClustersJson).HasMaxLength(2000);
        builder.Property(r => r.StartedBy).HasMaxLength(256).IsRequired();
        // Everyone who drove the run, one name a line (four-eyes); survives a restart with the run.
        builder.Property(r => r.ActorNames).IsRequired().HasDefaultValue("");
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(32);
        builder.Property(r => r.TranscriptDigest).HasMaxLength(128);

        builder.HasMany(r => r.Steps).WithOne().HasForeignKey(s => s.RunId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(r => r.Steps).HasField("_steps").UsePropertyAccessMode(PropertyAccessMode.Field);

        builder.HasMany(r => r.Approvals).WithOne().HasForeignKey(a => a.RunId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(r => r.Approvals).HasField("_approvals").UsePropertyAccessMode(PropertyAccessMode.Field);

        builder.HasIndex(r => r.ClusterName);
        builder.HasIndex(r => r.ProcedureId);
        builder.HasIndex(r => r.StartedBy);
        builder.HasIndex(r => r.Status);
        builder.HasIndex(r => r.CreatedAt);
        // A retry names the run it corrects; no foreign key, so a run is never held back by its retries.
        builder.HasIndex(r => r.PreviousRunId);
    }
}
