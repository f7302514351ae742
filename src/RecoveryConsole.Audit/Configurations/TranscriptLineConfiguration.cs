using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using RecoveryConsole.Orchestration.Transcript;

namespace RecoveryConsole.Audit.Configurations;

/// <summary>
/// The hot table (appended by <see cref="Transcript.TranscriptStore"/> with raw ADO.NET; keep the column layout in step
/// with <see cref="Transcript.TranscriptStore.InsertSql"/>). The composite key (RunId, Sequence) is the only index:
/// every read is "lines of a run after sequence N", and each extra index would slow the 50,000 lines/s append path.
/// RunId is a 16-byte BLOB here (not the 36-character TEXT of Runs.Id) because it repeats on every line and in the key.
/// No foreign key to Runs: the check would cost on every line, and runs are never deleted.
/// </summary>
internal sealed class TranscriptLineConfiguration : IEntityTypeConfiguration<TranscriptLine>
{
    public void Configure(EntityTypeBuilder<TranscriptLine> builder)
    {
        builder.ToTable("TranscriptLines");
        builder.HasKey(l => new { l.RunId, l.Sequence });
        builder.Property(l => l.RunId).HasConversion<byte[]>();
        builder.Property(l => l.Sequence).ValueGeneratedNever();
        builder.Property(l => l.StepPath).IsRequired();
        builder.Property(l => l.Host).IsRequired();
        builder.Property(l => l.Stream).HasConversion<int>();
        builder.Property(l => l.Text).IsRequired();
    }
}
