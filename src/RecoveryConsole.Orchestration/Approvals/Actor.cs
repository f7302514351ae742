namespace RecoveryConsole.Orchestration.Approvals;

public static class Roles
{
    public const string Viewer = "viewer";
    public const string Operator = "operator";
    public const string Approver = "approver";
    public const string Admin = "admin";
    public static readonly string[] All = [Viewer, Operator, Approver, Admin];
}

/// <summary>The person behind a command, as the web layer authenticated them.</summary>
public sealed record Actor(string UserName, IReadOnlyCollection<string> Roles)
{
    public static Actor System { get; } = new("system", []);
    public bool IsInRole(string role) => Roles.Contains(role, StringComparer.OrdinalIgnoreCase);
}

/// <summary>The actor lacks the role for a command.</summary>
public sealed class NotAllowedException(string message) : Exception(message);
