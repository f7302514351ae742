using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RecoveryConsole.Audit.Entities;

namespace RecoveryConsole.Audit.Configurations;

internal sealed class SecretRecordConfiguration : IEntityTypeConfiguration<SecretRecord>
{
    public void Configure(EntityTypeBuilder<SecretRecord> builder)
    {
        builder.ToTable("Secrets");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).HasMaxLength(40);
        builder.Property(s => s.Purpose).HasMaxLength(40).IsRequired();
        builder.Property(s => s.Protected).IsRequired();
    }
}
