using RecoveryConsole.Orchestration.Approvals;

namespace RecoveryConsole.Web.Api.Tokens;

/// <summary>A token's scopes are role names, stored comma-separated in the order of <see cref="Roles.All"/>.</summary>
public static class ApiTokenScopes
{
    public static IReadOnlyList<string> Parse(string stored) =>
        Roles.All.Where(r => stored.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Contains(r, StringComparer.Ordinal)).ToList();

    public static string Format(IEnumerable<string> scopes) => string.Join(',', Roles.All.Where(scopes.Contains));

    /// <summary>What a token may use of <paramref name="roles"/>: never more than the account holds now.</summary>
    /// <remarks>Any role includes watching: a viewer scope keeps viewer wherever the account holds some role.</remarks>
    public static IReadOnlyCollection<string> Restrict(IReadOnlyCollection<string> roles, IReadOnlyList<string> scopes)
    {
        var kept = roles.Where(r => scopes.Contains(r, StringComparer.OrdinalIgnoreCase)).ToList();
        if (roles.Count > 0 && scopes.Contains(Roles.Viewer) && !kept.Contains(Roles.Viewer, StringComparer.OrdinalIgnoreCase)) kept.Add(Roles.Viewer);
        return kept;
    }
}
