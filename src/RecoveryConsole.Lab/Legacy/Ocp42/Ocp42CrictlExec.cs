using RecoveryConsole.Lab.Shell;

namespace RecoveryConsole.Lab.Legacy.Ocp42;

/// <summary>
/// <c>crictl exec [-i] [-t] ID COMMAND...</c> into the etcd-member container of a 4.2/4.3 master, where 003 runs
/// <c>etcdctl member list -w table</c>. The container's shell is not simulated: its command is <c>etcdctl</c>, or
/// <c>env NAME=value ... etcdctl</c> for the variables the document exports inside it. etcdctl 3.3 speaks the v2 API
/// unless ETCDCTL_API=3, and opens the certificate files it is given (the container mounts the host's /etc/ssl/etcd).
/// </summary>
internal static class Ocp42CrictlExec
{
    public const string EtcdMemberContainer = "6b3e1a9c2d4f0";

    public static async Task<int> RunAsync(Ocp42Cluster model, LabCommandContext c, Func<Ocp42Cluster, LabCommandContext, Task<int>> etcdctl)
    {
        if (!c.Privileged)
        {
            await c.ErrAsync("FATA[0000] connect: connect endpoint 'unix:///var/run/crio/crio.sock', make sure you are running as root and the endpoint has been started: permission denied");
            return 1;
        }
        var args = c.Args.Skip(1).SkipWhile(a => a is "-i" or "-t" or "-it" or "-ti" or "--interactive" or "--tty").ToList();
        if (args.Count < 2)
        {
            await c.ErrAsync("FATA[0000] Container ID and command cannot be empty");
            return 1;
        }
        var id = args[0];
        if (!model.EtcdRunning(c.Host) || !EtcdMemberContainer.StartsWith(id, StringComparison.Ordinal))
        {
            await c.ErrAsync($"FATA[0000] execing command in container: rpc error: code = NotFound desc = could not find container \"{id}\"");
            return 1;
        }
        var command = args.Skip(1).ToList();
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        if (command[0] is "env" or "/usr/bin/env")
        {
            command.RemoveAt(0);
            while (command.Count > 0 && command[0].Contains('=') && !command[0].StartsWith('-'))
            {
                var eq = command[0].IndexOf('=');
                environment[command[0][..eq]] = command[0][(eq + 1)..];
                command.RemoveAt(0);
            }
        }
        if (command.Count == 0 || command[0] is not ("etcdctl" or "/usr/bin/etcdctl"))
        {
            await c.ErrAsync($"FATA[0000] the lab runs etcdctl in the etcd-member container, not \"{string.Join(' ', command)}\" (the container's shell is not simulated)");
            return 1;
        }
        var etcdArgs = command.Skip(1).ToList();
        if (environment.GetValueOrDefault("ETCDCTL_API") != "3")
        {
            // etcdctl 3.3 defaults to the v2 API, whose flags differ.
            await c.ErrAsync(etcdArgs.Contains("-w")
                ? "Incorrect Usage: flag provided but not defined: -w"
                : "Error: the lab's etcdctl speaks the v3 API only: set ETCDCTL_API=3");
            return 1;
        }
        foreach (var (variable, flag) in new[] { ("ETCDCTL_CACERT", "--cacert"), ("ETCDCTL_CERT", "--cert"), ("ETCDCTL_KEY", "--key") })
        {
            var path = Flag(etcdArgs, flag) ?? environment.GetValueOrDefault(variable);
            if (path is null || !path.StartsWith("/etc/ssl/", StringComparison.Ordinal) || !c.Host.FileSystem.FileExists(path))
            {
                await c.ErrAsync(path is null
                    ? "Error: remote error: tls: bad certificate (no client certificate: set ETCDCTL_CACERT, ETCDCTL_CERT and ETCDCTL_KEY)"
                    : $"Error: open {path}: no such file or directory");
                return 1;
            }
        }
        return await etcdctl(model, new LabCommandContext
        {
            Name = "etcdctl",
            Args = etcdArgs,
            Stdin = c.Stdin,
            Stdout = c.Stdout,
            Stderr = c.Stderr,
            Host = c.Host,
            Clock = c.Clock,
            Environment = environment,
            Privileged = true,
            LastStatus = c.LastStatus,
            CancellationToken = c.CancellationToken,
        });
    }

    private static string? Flag(IReadOnlyList<string> args, string flag)
    {
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i].StartsWith(flag + "=", StringComparison.Ordinal)) return args[i][(flag.Length + 1)..];
            if (args[i] == flag && i + 1 < args.Count) return args[i + 1];
        }
        return null;
    }
}
