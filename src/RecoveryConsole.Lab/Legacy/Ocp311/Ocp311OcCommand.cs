using System.Globalization;
using RecoveryConsole.Lab.Hosts;
using RecoveryConsole.Lab.Ocp4.Commands;
using RecoveryConsole.Lab.Shell;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Lab.Legacy.Ocp311;

/// <summary>
/// oc 3.11 on a master, as root (root's kubeconfig holds system:admin's client certificate): <c>login -u system:admin</c>,
/// <c>project [NAME]</c>, <c>get pods [-n NS]</c> (the masters' static pods in kube-system) and
/// <c>exec POD [-c CONTAINER] -- /bin/bash -c SCRIPT</c>, which runs SCRIPT in the pod's container on its node
/// (<see cref="Ocp311EtcdContainer"/>). Each host keeps its current project, as its kubeconfig would.
/// </summary>
internal sealed class Ocp311OcCommand(Ocp311Cluster model) : ILabCommand
{
    private const string SystemAdmin = "system:admin";
    private static readonly string[] Valued = ["-u", "--username", "-p", "--password", "-n", "--namespace", "-c", "--container", "--config", "--kubeconfig", "-o", "--output"];
    private static readonly string[] Projects =
        ["default", "kube-public", "kube-system", "management-infra", "openshift", "openshift-infra", "openshift-node", "openshift-sdn", "openshift-web-console"];

    private readonly Dictionary<string, string> _projects = new(StringComparer.Ordinal);
    private readonly Ocp311EtcdContainer _container = new(model);

    public string Name => "oc";

    public async Task<int> RunAsync(LabCommandContext context)
    {
        var dash = context.Args.ToList().IndexOf("--");
        var own = dash < 0 ? context.Args : context.Args.Take(dash).ToList();
        var inner = dash < 0 ? [] : context.Args.Skip(dash + 1).ToList();
        var o = CommandOutput.Options.Parse(own, Valued, ["-i", "-t", "-it", "--insecure-skip-tls-verify"]);
        if (o.Error is not null) return await FailAsync(context, $"Error: {o.Error}");
        var words = o.Positional;
        if (words.Count == 0) return await FailAsync(context, "error: the lab's oc 3.11 knows login, project, get pods and exec");

        var server = $"https://{Ocp311Cluster.Fqdn(context.Host.Name)}:8443";
        var hasConfig = context.Privileged && context.Host.FileSystem.FileExists("/root/.kube/config");
        if (!hasConfig)
        {
            if (words[0] == "login")
            {
                // No certificate for system:admin outside root's kubeconfig: oc asks for a password and there is no terminal.
                await context.OutAsync($"Authentication required for {server} (openshift)");
                await context.OutAsync($"Username: {o.Value("-u", "--username") ?? ""}");
                await context.ErrAsync("Password: Login failed (401 Unauthorized)");
                return await FailAsync(context, "Verify you have provided correct credentials.");
            }
            return await FailAsync(context, "error: Missing or incomplete configuration info.  Please login or point to an existing, complete config file:");
        }
        if (!model.Cluster.Api.Available)
            return await FailAsync(context, $"The connection to the server {Ocp311Cluster.Fqdn(context.Host.Name)}:8443 was refused - did you specify the right host or port?");

        string project;
        lock (_projects) project = _projects.GetValueOrDefault(context.Host.Name, "default"); // hosts run oc in parallel
        switch (words[0])
        {
            case "login":
                if (o.Value("-u", "--username") is { } user && user != SystemAdmin)
                    return await FailAsync(context, "error: username system:admin is the only one with a client certificate on this master");
                await context.OutAsync($"Logged into \"{server}\" as \"{SystemAdmin}\" using existing credentials.");
                await context.OutAsync("");
                await context.OutAsync("You have access to the following projects and can switch between them with 'oc project <projectname>':");
                await context.OutAsync("");
                foreach (var p in Projects) await context.OutAsync((p == project ? "  * " : "    ") + p);
                await context.OutAsync("");
                await context.OutAsync($"Using project \"{project}\".");
                return 0;
            case "project" when words.Count == 1:
                await context.OutAsync($"Using project \"{project}\" on server \"{server}\".");
                return 0;
            case "project":
                if (!Projects.Contains(words[1])) return await FailAsync(context, $"error: A project named \"{words[1]}\" does not exist on \"{server}\".");
                lock (_projects) _projects[context.Host.Name] = words[1];
                await context.OutAsync($"Now using project \"{words[1]}\" on server \"{server}\".");
                return 0;
            case "get" when words.Count > 1 && words[1] is "pods" or "pod" or "po":
                return await GetPodsAsync(context, o.Value("-n", "--namespace") ?? project);
            case "get":
                return await FailAsync(context, "error: the lab's oc 3.11 gets pods only");
            case "exec":
                if (words.Count < 2) return await FailAsync(context, "error: expected 'exec POD_NAME COMMAND [ARG1] [ARG2] ... [ARGN]'.");
                return await ExecAsync(context, o.Value("-n", "--namespace") ?? project, words[1], o.Value("-c", "--container"), inner);
            default:
                return await FailAsync(context, $"Error: unknown command \"{words[0]}\" for \"oc\"");
        }
    }

    private async Task<int> GetPodsAsync(LabCommandContext context, string ns)
    {
        var pods = ns == "kube-system" ? model.StaticPods : [];
        if (pods.Count == 0)
        {
            await context.ErrAsync("No resources found.");
            return 0;
        }
        var age = Age(context.Clock.UtcNow - model.InstalledAt);
        var rows = pods.Select(p => (IReadOnlyList<string>)[p.Name, p.Running ? "1/1" : "0/1", p.Running ? "Running" : "Unknown", "0", age]).ToList();
        // kubectl 1.11's printer: tabwriter with minimum width 10 and padding 3.
        foreach (var line in TextTables.Tabwriter(["NAME", "READY", "STATUS", "RESTARTS", "AGE"], rows, 10, 3)) await context.OutAsync(line);
        return 0;
    }

    private async Task<int> ExecAsync(LabCommandContext context, string ns, string podName, string? container, IReadOnlyList<string> command)
    {
        var pod = ns == "kube-system" ? model.StaticPods.FirstOrDefault(p => p.Name == podName) : null;
        if (pod is null) return await FailAsync(context, $"Error from server (NotFound): pods \"{podName}\" not found");
        if (container is not null && container != pod.Container)
            return await FailAsync(context, $"Error from server (BadRequest): container {container} is not valid for pod {podName}");
        if (command.Count == 0) return await FailAsync(context, "error: you must specify at least one command for the container");
        if (!pod.Host.Reachable)
            return await FailAsync(context, $"Error from server: error dialing backend: dial tcp {pod.Host.Address}:10250: connect: no route to host");
        if (pod.Container != "etcd")
            return await FailAsync(context, $"error: the lab simulates exec in the etcd container only, not in {pod.Container}");

        var status = await _container.RunAsync(pod.Host, command, context);
        if (status != 0) await context.ErrAsync($"command terminated with exit code {status.ToString(CultureInfo.InvariantCulture)}");
        return status;
    }

    private static string Age(TimeSpan d) =>
        d.TotalDays >= 1 ? $"{(int)d.TotalDays}d" : d.TotalHours >= 1 ? $"{(int)d.TotalHours}h" : d.TotalMinutes >= 1 ? $"{(int)d.TotalMinutes}m" : $"{Math.Max(0, (int)d.TotalSeconds)}s";

    private static async Task<int> FailAsync(LabCommandContext context, string message)
    {
        await context.ErrAsync(message);
        return 1;
    }
}
