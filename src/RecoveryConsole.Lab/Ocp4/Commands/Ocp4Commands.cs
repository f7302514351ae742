using RecoveryConsole.Lab.Shell;

namespace RecoveryConsole.Lab.Ocp4.Commands;

/// <summary>The programs of an OCP 4 lab cluster's hosts, bound to its model.</summary>
internal static class Ocp4Commands
{
    public static void Register(LabCommandRegistry registry, Ocp4Cluster model)
    {
        registry
            .Register(new CrictlCommand(model))
            .Register(new EtcdctlCommand(model))
            .Register(new EtcdctlCommand(model, "etcdutl"))
            .Register(new ClusterBackupCommand(model))
            .Register(new ClusterRestoreCommand(model))
            .Register(new SystemctlCommand(model))
            .Register(new JournalctlCommand(model))
            .Register(new IpCommand(model))
            .Register(new RebootCommand(model, "reboot"))
            .Register(new RebootCommand(model, "shutdown"))
            .Register(new TarCommand())
            .Register(new Oc.OcCommand(model));
    }
}
