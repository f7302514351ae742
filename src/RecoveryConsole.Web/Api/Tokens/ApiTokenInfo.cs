using RecoveryConsole.Audit.Entities;

namespace RecoveryConsole.Web.Api.Tokens;

/// <summary>A token as lists show it: never its secret, which nobody can see again after creation.</summary>
public sealed record ApiTokenInfo(Guid Id, string UserName, string Name, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt, string? RevokedBy, DateTimeOffset? LastUsedAt)
{
    public static ApiTokenInfo From(ApiToken t) => new(t.Id, t.UserName, t.Name, ApiTokenScopes.Parse(t.Scopes), t.CreatedAt, t.ExpiresAt,
        t.RevokedAt, t.RevokedBy, t.LastUsedAt);

    public bool IsUsable(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);
}

/// <summary>A token just made: <see cref="Secret"/> is shown this once.</summary>
public sealed record CreatedApiToken(ApiTokenInfo Token, string Secret);
