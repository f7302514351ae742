using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using RecoveryConsole.Audit.Entities;
using RecoveryConsole.Orchestration.Clusters;

namespace RecoveryConsole.Audit.Clusters;

/// <summary>
/// Secrets encrypted with ASP.NET Core Data Protection before they reach SQLite: a copy of the database file alone
/// does not give away a single SSH key or kubeconfig (the key ring lives in the data directory's keys/ folder).
/// </summary>
public sealed class ProtectedSecretStore(IDbContextFactory<AuditDbContext> contexts, IDataProtectionProvider protection, TimeProvider clock)
    : ISecretStore
{
    private readonly IDataProtector _protector = protection.CreateProtector("RecoveryConsole.Secrets.v1");

    public async Task<string> PutAsync(string purpose, byte[] secret, CancellationToken cancellationToken)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        await using var context = await contexts.CreateDbContextAsync(cancellationToken);
        context.Secrets.Add(new SecretRecord
        {
            Id = id, Purpose = purpose, CreatedAt = clock.GetUtcNow(),
            Protected = Convert.ToBase64String(_protector.Protect(secret)),
        });
        await context.SaveChangesAsync(cancellationToken);
        return id;
    }

    public async Task<byte[]> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var context = await contexts.CreateDbContextAsync(cancellationToken);
        var record = await context.Secrets.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, cancellationToken)
            ?? throw new KeyNotFoundException($"No stored secret {id}.");
        return _protector.Unprotect(Convert.FromBase64String(record.Protected));
    }

    public async Task DeleteAsync(string id, CancellationToken cancellationToken)
    {
        await using var context = await contexts.CreateDbContextAsync(cancellationToken);
        await context.Secrets.Where(s => s.Id == id).ExecuteDeleteAsync(cancellationToken);
    }
}
