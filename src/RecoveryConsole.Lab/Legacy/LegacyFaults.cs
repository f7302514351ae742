using RecoveryConsole.Lab.Clusters;
using RecoveryConsole.Lab.Legacy.Ocp311;
using RecoveryConsole.Lab.Legacy.Ocp42;
using RecoveryConsole.Lab.Scenarios;

namespace RecoveryConsole.Lab.Legacy;

/// <summary>The fault types of the OpenShift 3.11 ("ocp311") and 4.2/4.3 ("ocp42") models.</summary>
public static class LegacyFaults
{
    public static LabFaultRegistry AddLegacyFaults(this LabFaultRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry
            .Register(new Fault<Ocp311Cluster>(Ocp311Cluster.ModelKind, "failHost", (m, f) => m.FailHost(f.Require("host"))))
            .Register(new Fault<Ocp311Cluster>(Ocp311Cluster.ModelKind, "retireMaster", (m, f) => m.MarkForRetirement(f.Require("host"))))
            .Register(new Fault<Ocp42Cluster>(Ocp42Cluster.ModelKind, "loseHosts", (m, f) => m.LoseHosts(f.Strings("hosts"))))
            .Register(new Fault<Ocp42Cluster>(Ocp42Cluster.ModelKind, "writeBackup", (m, f) =>
                m.WriteBackup(f.Strings("hosts") is { Count: > 0 } hosts ? hosts : m.MasterNames, f.String("directory") ?? "/home/core/backup")))
            .Register(new Fault<Ocp42Cluster>(Ocp42Cluster.ModelKind, "expireCertificates", (m, f) => m.ExpireCertificates()))
            .AddOcp42ObjectFaults();
    }

    private sealed class Fault<T>(string model, string type, Action<T, LabFault> apply) : ILabFaultHandler where T : class, ILabClusterModel
    {
        public string Type => type;
        public string Model => model;

        public void Apply(LabCluster cluster, LabFault fault)
        {
            var target = cluster.Model as T ?? throw new LabScenarioException($"fault {type} needs a simulated '{model}' cluster; {cluster.Info.Name} runs {cluster.Info.Version}");
            try
            {
                apply(target, fault);
            }
            catch (ArgumentException e)
            {
                throw new LabScenarioException($"fault {type}: {e.Message}", e);
            }
        }
    }
}
