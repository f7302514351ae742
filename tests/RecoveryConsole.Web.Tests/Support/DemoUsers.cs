namespace RecoveryConsole.Web.Tests.Support;

/// <summary>The lab's demo accounts (see DemoAccounts in the app).</summary>
public static class DemoUsers
{
    public static readonly (string Name, string Password) Olivia = ("olivia", "drill-olivia");   // operator
    public static readonly (string Name, string Password) Arjun = ("arjun", "drill-arjun");      // approver
    public static readonly (string Name, string Password) Sam = ("sam", "drill-sam-lead");       // operator + approver
    public static readonly (string Name, string Password) Vera = ("vera", "drill-vera");         // viewer

    public static readonly IReadOnlyDictionary<string, string?> SampleParameters = new Dictionary<string, string?>
    {
        ["recoveryHost"] = "master-0",
    };

    public const string SampleProcedure = "sample-drill";
    public const string LabCluster = "lab-ocp4";
}
