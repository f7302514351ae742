using RecoveryConsole.Lab.Clusters;
using RecoveryConsole.Lab.Hosted;
using RecoveryConsole.Lab.Legacy;
using RecoveryConsole.Lab.Ocp4;

namespace RecoveryConsole.Lab.Scenarios;

/// <summary>Applies one kind of fault (<see cref="LabFault.Type"/>) to a lab cluster.</summary>
public interface ILabFaultHandler
{
    string Type { get; }

    /// <summary>The simulation model this fault needs ("ocp4" ...), matched against <see cref="LabScenario.Model"/>.</summary>
    string Model { get; }

    void Apply(LabCluster cluster, LabFault fault);
}

/// <summary>The fault handlers by (model, type); the OpenShift 4 ones are built in, other models register theirs.</summary>
public sealed class LabFaultRegistry
{
    private readonly Dictionary<(string Model, string Type), ILabFaultHandler> _handlers = [];

    public LabFaultRegistry Register(ILabFaultHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _handlers[(handler.Model, handler.Type)] = handler;
        return this;
    }

    public ILabFaultHandler? Find(string model, string type) => _handlers.GetValueOrDefault((model, type));

    public IEnumerable<string> Types(string model) => _handlers.Keys.Where(k => k.Model == model).Select(k => k.Type).Order(StringComparer.Ordinal);

    public static LabFaultRegistry CreateDefault() => new LabFaultRegistry()
        .Register(new Ocp4Fault("loseHost", (m, f) => m.LoseHost(f.Require("host"))))
        .Register(new Ocp4Fault("createObject", (m, f) =>
            m.WriteObject(f.Require("path"), f.Parameters["object"] as System.Text.Json.Nodes.JsonObject
                                             ?? throw new LabScenarioException("fault createObject: parameter 'object' must be a mapping"))))
        .Register(new Ocp4Fault("deleteObject", (m, f) => m.DeleteObject(f.Require("path"))))
        .Register(new Ocp4Fault("rotateKubeletCertificates", (m, f) => m.RotateKubeletCertificates(Hosts(m, f))))
        .Register(new Ocp4Fault("expireCertificates", (m, f) => m.ExpireCertificates(Ocp4Cluster.ParseDuration(f.String("offlineFor") ?? "30d"))))
        .Register(new Ocp4Fault("writeBackup", (m, f) => m.WriteBackup(f.Require("host"), f.Require("directory"), f.String("openshiftVersion"))))
        .AddLegacyFaults() // OCP 3.11 and 4.2/4.3 (Legacy/)
        .RegisterHosted(); // hosted control planes (Hosted/)

    /// <summary>"hosts": a list of names, or controlPlane / workers / all.</summary>
    private static IEnumerable<string> Hosts(Ocp4Cluster model, LabFault fault) => fault.Strings("hosts") switch
    {
        ["controlPlane"] => model.ControlPlane.Select(n => n.Name).ToList(),
        ["workers"] => model.Nodes.Where(n => !n.IsControlPlane).Select(n => n.Name).ToList(),
        [] or ["all"] => model.Nodes.Select(n => n.Name).ToList(),
        var names => names,
    };

    private sealed class Ocp4Fault(string type, Action<Ocp4Cluster, LabFault> apply) : ILabFaultHandler
    {
        public string Type => type;
        public string Model => "ocp4";

        public void Apply(LabCluster cluster, LabFault fault) =>
            apply(cluster.Ocp4 ?? throw new LabScenarioException($"fault {type} needs a simulated OpenShift 4 cluster; {cluster.Info.Name} runs {cluster.Info.Version}"), fault);
    }
}
