using RecoveryConsole.Procedures.Loading;
using RecoveryConsole.Procedures.Parameters;

namespace RecoveryConsole.Procedures.Tests.Support;

/// <summary>What the built-in demo cluster offers, as the brief describes it.</summary>
public static class DemoCluster
{
    public static readonly HostSets Hosts = new(
        ["master-0", "master-1", "master-2"],
        ["worker-0", "worker-1"],
        ["master-0", "master-1", "master-2", "worker-0", "worker-1"]);

    public static readonly IReadOnlyDictionary<string, string> Facts = new Dictionary<string, string>
    {
        ["keepalived"] = "true",
        ["networkType"] = "OVNKubernetes",
        ["platform"] = "IPI",
        ["proxy"] = "false",
    };

    // The engine's built-in actions (RecoveryConsole.Orchestration/Actions); the orchestration tests load the shipped
    // procedures with the real list, so a drift between the two shows there.
    public static readonly ProcedureLoaderOptions Options = new()
    {
        KnownActions = ["approveCsrs", "forceRedeployment", "waitForRevision"],
        ActionArguments = new Dictionary<string, IReadOnlyCollection<string>>
        {
            ["approveCsrs"] = ["until", "every", "timeout", "signer"],
            ["forceRedeployment"] = ["operator", "reason"],
            ["waitForRevision"] = ["operator", "every", "timeout", "minRevision"],
        },
    };

    /// <summary>Commands the demo hosts answer (first word of each pipeline segment, after an optional sudo).</summary>
    public static readonly IReadOnlySet<string> Commands = new HashSet<string>
    {
        "echo", "seq", "sleep", "exit", "true", "false", "printf", "cat", "hostname", "grep", "wc", "head", "tail",
    };
}
