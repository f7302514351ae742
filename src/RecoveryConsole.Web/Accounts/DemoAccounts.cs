using RecoveryConsole.Orchestration.Approvals;

namespace RecoveryConsole.Web.Accounts;

public sealed record DemoAccount(string UserName, string Password, IReadOnlyList<string> Roles, string Description);

/// <summary>
/// Practice accounts for the simulated lab. They exist only while the lab is enabled, and the login page lists them
/// with their passwords, so nobody mistakes them for real accounts.
/// </summary>
public sealed class DemoAccounts(bool enabled)
{
    private static readonly DemoAccount[] All =
    [
        new("olivia", "drill-olivia", [Roles.Operator], "operator: starts runs, confirms manual steps"),
        new("arjun", "drill-arjun", [Roles.Approver], "approver: approves destructive steps"),
        new("sam", "drill-sam-lead", [Roles.Operator, Roles.Approver], "operator and approver (cannot approve own runs)"),
        new("vera", "drill-vera", [Roles.Viewer], "viewer: watches only"),
    ];

    /// <summary>Every demo account, listed or not: with the lab off these are the accounts to disable.</summary>
    public static IReadOnlyList<DemoAccount> Published => All;

    public bool Enabled { get; } = enabled;
    public IReadOnlyList<DemoAccount> Accounts => Enabled ? All : [];
}
