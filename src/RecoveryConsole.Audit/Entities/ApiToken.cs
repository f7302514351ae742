namespace RecoveryConsole.Audit.Entities;

/// <summary>
/// A personal API token: what it may do and whether it still may. Only the SHA-256 of its secret is kept; the secret
/// itself is shown once, when it is created, and exists nowhere else on the console.
/// </summary>
public sealed class ApiToken
{
    public Guid Id { get; set; }
    /// <summary>The Identity account (AspNetUsers.Id) the token acts as.</summary>
    public required string UserId { get; set; }
    public required string UserName { get; set; }
    /// <summary>What the owner called it ("game-day CI"), shown in lists and the audit.</summary>
    public required string Name { get; set; }
    /// <summary>Lowercase hex SHA-256 of the whole secret ("rc_..."); unique.</summary>
    public required string SecretHash { get; set; }
    /// <summary>The roles the token may use, comma-separated: never more than the account holds at the time of each call.</summary>
    public required string Scopes { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public string? RevokedBy { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
}
