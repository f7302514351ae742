using RecoveryConsole.Lab.Clusters;
using RecoveryConsole.Lab.Scenarios;

namespace RecoveryConsole.Lab.Hosted;

/// <summary>The fault types of the hosted-control-planes scenarios (model "hosted"), applied to the source management cluster.</summary>
public static class HostedFaults
{
    public static LabFaultRegistry RegisterHosted(this LabFaultRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry
            .Register(new Fault("hostedOnPremises", (m, f) => m.UseOnPremises()))
            .Register(new Fault("corruptEtcdMember", (m, f) => m.CorruptMember(f.Require("member"))))
            .Register(new Fault("managementUpgradeFailed", (m, f) => m.FailUpgrade(f.String("version") ?? "4.17.3", f.String("message"))));
    }

    private sealed class Fault(string type, Action<HostedManagementCluster, LabFault> apply) : ILabFaultHandler
    {
        public string Type => type;
        public string Model => HostedManagementCluster.ModelKind;

        public void Apply(LabCluster cluster, LabFault fault) =>
            apply(cluster.Model as HostedManagementCluster ?? throw new LabScenarioException($"fault {type} needs a simulated HyperShift management cluster; {cluster.Info.Name} is not one"), fault);
    }
}
