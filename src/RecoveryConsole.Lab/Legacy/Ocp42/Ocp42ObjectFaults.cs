using System.Text.Json.Nodes;
using RecoveryConsole.Lab.Clusters;
using RecoveryConsole.Lab.Scenarios;

namespace RecoveryConsole.Lab.Legacy.Ocp42;

/// <summary>
/// The 4.2/4.3 model's object faults: <c>createObject {path, object}</c> (work done through the API, e.g. before a
/// backup) and <c>deleteObject {path}</c> (an administrator deleted something critical; a namespace takes its contents).
/// </summary>
public static class Ocp42ObjectFaults
{
    public static LabFaultRegistry AddOcp42ObjectFaults(this LabFaultRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry
            .Register(new ObjectFault("createObject", (m, f) => m.WriteObject(f.Require("path"),
                (f.Parameters["object"] as JsonObject)?.DeepClone() as JsonObject ?? throw new LabScenarioException("fault createObject: parameter 'object' must be a mapping"))))
            .Register(new ObjectFault("deleteObject", (m, f) => m.DeleteObject(f.Require("path"))));
    }

    private sealed class ObjectFault(string type, Action<Ocp42Cluster, LabFault> apply) : ILabFaultHandler
    {
        public string Type => type;
        public string Model => Ocp42Cluster.ModelKind;

        public void Apply(LabCluster cluster, LabFault fault)
        {
            var model = cluster.Model as Ocp42Cluster ?? throw new LabScenarioException($"fault {type} needs a simulated '{Model}' cluster; {cluster.Info.Name} runs {cluster.Info.Version}");
            try { apply(model, fault); }
            catch (ArgumentException e) { throw new LabScenarioException($"fault {type}: {e.Message}", e); }
        }
    }
}
