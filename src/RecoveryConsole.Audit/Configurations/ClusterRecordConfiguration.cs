using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RecoveryConsole.Audit.Entities;

namespace RecoveryConsole.Audit.Configurations;

internal sealed class ClusterRecordConfiguration : IEntityTypeConfiguration<ClusterRecord>
{
    public void Configure(EntityTypeBuilder<ClusterRecord> builder)
    {
        builder.ToTable("Clusters");
        builder.HasKey(c => c.Name);
        builder.Property(c => c.Name).HasMaxLength(200);
        builder.Property(c => c.Kind).HasMaxLength(16).IsRequired();
        builder.Property(c => c.Product).HasMaxLength(100).IsRequired();
        builder.Property(c => c.Version).HasMaxLength(50).IsRequired();
        builder.Property(c => c.ConnectionProfile).HasMaxLength(200).IsRequired();
        builder.Property(c => c.DefinitionJson).IsRequired();
    }
}
