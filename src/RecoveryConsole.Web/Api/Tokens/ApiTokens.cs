using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using RecoveryConsole.Audit;
using RecoveryConsole.Audit.Entities;
using RecoveryConsole.Orchestration.Approvals;
using RecoveryConsole.Orchestration.Audit;
using RecoveryConsole.Web.Accounts;

namespace RecoveryConsole.Web.Api.Tokens;

/// <summary>
/// Personal API tokens: made by their owner with a subset of the owner's roles (shown once), listed without secrets,
/// revoked by the owner or an admin. Every creation, revocation and refused use is audited, never with the secret.
/// </summary>
public sealed class ApiTokens(IDbContextFactory<AuditDbContext> db, UserManager<IdentityUser> users, IAuditLog audit, TimeProvider clock)
{
    public const int MaxNameLength = 100;

    /// <param name="scopes">Roles the token may use: each one the account must hold (globally or on some cluster).</param>
    /// <param name="expiresAt">Null: until revoked.</param>
    public async Task<CreatedApiToken> CreateAsync(Actor owner, string name, IReadOnlyCollection<string> scopes, DateTimeOffset? expiresAt,
        CancellationToken cancellationToken)
    {
        var user = await users.FindByNameAsync(owner.UserName) ?? throw new NotAllowedException("Sign in first.");
        name = CheckedName(name);
        var held = owner.Roles.Concat(owner.ClusterRoles.Values.SelectMany(r => r)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        // Any role includes watching: an operator may make a read-only token for a dashboard.
        if (held.Count > 0) held.Add(Roles.Viewer);
        if (scopes.Count == 0) throw new ArgumentException("Choose at least one role for the token.");
        var unknown = scopes.Where(s => !Roles.All.Contains(s, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0) throw new ArgumentException($"Unknown role {string.Join(", ", unknown)}: the roles are {string.Join(", ", Roles.All)}.");
        var notHeld = scopes.Where(s => !held.Contains(s)).ToList();
        if (notHeld.Count > 0)
            throw new NotAllowedException($"A token cannot have a role its account lacks: {owner.UserName} does not hold {string.Join(", ", notHeld)}.");
        var now = clock.GetUtcNow();
        if (expiresAt is { } expiry && expiry <= now) throw new ArgumentException("The expiry must be in the future.");

        var secret = ApiTokenSecret.New();
        var token = new ApiToken
        {
            Id = Guid.NewGuid(), UserId = user.Id, UserName = user.UserName ?? owner.UserName, Name = name,
            SecretHash = ApiTokenSecret.Hash(secret), Scopes = ApiTokenScopes.Format(scopes), CreatedAt = now, ExpiresAt = expiresAt,
        };
        await using (var context = await db.CreateDbContextAsync(cancellationToken))
        {
            context.ApiTokens.Add(token);
            await context.SaveChangesAsync(cancellationToken);
        }
        await AuditAsync(owner.UserName, AuditKinds.ApiTokenCreated, $"{Describe(token)}: roles {token.Scopes}, "
            + (expiresAt is null ? "no expiry" : $"expires {expiresAt:u}"), cancellationToken);
        return new CreatedApiToken(ApiTokenInfo.From(token), secret);
    }

    /// <summary>The tokens of one account; an admin passes null to see everyone's.</summary>
    public async Task<IReadOnlyList<ApiTokenInfo>> ListAsync(string? userName, CancellationToken cancellationToken)
    {
        await using var context = await db.CreateDbContextAsync(cancellationToken);
        var tokens = await context.ApiTokens.AsNoTracking().Where(t => userName == null || t.UserName == userName).ToListAsync(cancellationToken);
        return tokens.OrderByDescending(t => t.CreatedAt).Select(ApiTokenInfo.From).ToList();
    }

    /// <summary>Its owner or an admin revokes a token; the next call with it is refused.</summary>
    public async Task RevokeAsync(Guid id, Actor actor, CancellationToken cancellationToken)
    {
        await using var context = await db.CreateDbContextAsync(cancellationToken);
        var token = await context.ApiTokens.FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
        var mayRevoke = token is not null && (token.UserName == actor.UserName || actor.IsInRole(Roles.Admin));
        // Somebody else's token answers like none: its existence is not revealed to who may not revoke it.
        if (token is null || !mayRevoke) throw new KeyNotFoundException($"No token {id}.");
        if (token.RevokedAt is not null) throw new InvalidOperationException($"Token {Describe(token)} was already revoked by {token.RevokedBy}.");
        token.RevokedAt = clock.GetUtcNow();
        token.RevokedBy = actor.UserName;
        await context.SaveChangesAsync(cancellationToken);
        await AuditAsync(actor.UserName, AuditKinds.ApiTokenRevoked, $"{Describe(token)} of {token.UserName}", cancellationToken);
    }

    /// <summary>
    /// The token and its account behind a presented secret, or why not (unknown, revoked, expired, account disabled),
    /// in which case the refusal is audited without the secret.
    /// </summary>
    public async Task<(ApiToken? Token, IdentityUser? User, string? Refusal)> AuthenticateAsync(string secret, string? from, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var hash = ApiTokenSecret.Hash(secret);
        await using var context = await db.CreateDbContextAsync(cancellationToken);
        var token = ApiTokenSecret.LooksLikeOne(secret)
            ? await context.ApiTokens.FirstOrDefaultAsync(t => t.SecretHash == hash, cancellationToken)
            : null;
        // The lookup is by hash; the comparison again in constant time, so equality is never decided by an early byte mismatch.
        if (token is null || !ApiTokenSecret.SameHash(token.SecretHash, hash))
            return await RefuseAsync(SignInAttempts.Anonymous, $"unknown token{From(from)}", "The API token is not known to this console.", cancellationToken);
        if (token.RevokedAt is not null)
            return await RefuseAsync(token.UserName, $"{Describe(token)}: revoked by {token.RevokedBy} at {token.RevokedAt:u}{From(from)}",
                "The API token was revoked.", cancellationToken);
        if (token.ExpiresAt is { } expiry && expiry <= now)
            return await RefuseAsync(token.UserName, $"{Describe(token)}: expired at {expiry:u}{From(from)}", "The API token has expired.", cancellationToken);
        var user = await users.FindByIdAsync(token.UserId);
        if (user is null || await users.IsLockedOutAsync(user))
            return await RefuseAsync(token.UserName, $"{Describe(token)}: the account is disabled or locked{From(from)}",
                "The API token's account is disabled or locked.", cancellationToken);
        // At most one write a minute per token: a CI job polling every second must not queue writes behind the runs'.
        if (token.LastUsedAt is not { } last || now - last > TimeSpan.FromMinutes(1))
        {
            token.LastUsedAt = now;
            await context.SaveChangesAsync(cancellationToken);
        }
        return (token, user, null);
    }

    private async Task<(ApiToken?, IdentityUser?, string?)> RefuseAsync(string actor, string detail, string refusal, CancellationToken cancellationToken)
    {
        await AuditAsync(actor, AuditKinds.ApiTokenRefused, detail, cancellationToken);
        return (null, null, refusal);
    }

    /// <summary>One line of visible text (it is shown in lists and the audit), at most <see cref="MaxNameLength"/> characters.</summary>
    private static string CheckedName(string? name)
    {
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length == 0) throw new ArgumentException("Give the token a name that says what it is for (e.g. game-day CI).");
        if (trimmed.Length > MaxNameLength) throw new ArgumentException($"The token's name is too long ({trimmed.Length} characters; at most {MaxNameLength}).");
        if (Procedures.Parameters.ParameterText.Problem("The token's name", trimmed) is { } problem) throw new ArgumentException(problem);
        return trimmed;
    }

    private static string Describe(ApiToken token) => $"token '{token.Name}' ({token.Id})";

    private static string From(string? address) => address is null ? "" : $" from {address}";

    private Task AuditAsync(string actor, string kind, string detail, CancellationToken cancellationToken) =>
        audit.AppendAsync(new AuditEvent(clock.GetUtcNow(), actor, kind, null, detail), cancellationToken);
}
