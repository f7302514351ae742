namespace RecoveryConsole.Web.Accounts;

/// <summary>Audit kinds of the account part (the run and cluster kinds are in Orchestration's AuditKinds).</summary>
public static class AccountAuditKinds
{
    public const string SignInFailed = "account.sign-in-failed";
    public const string LockedOut = "account.locked-out";
    public const string SignedOut = "account.signed-out";
    public const string Disabled = "account.disabled";
    public const string Enabled = "account.enabled";
    public const string ClusterRolesChanged = "account.cluster-roles";
}
