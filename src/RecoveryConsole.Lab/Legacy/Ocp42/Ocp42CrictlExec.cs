using RecoveryConsole.Lab.Shell;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Procedures.Rendering;

namespace RecoveryConsole.Lab.Legacy.Ocp42;

/// <summary>
/// <c>crictl exec [-it] ID COMMAND...</c> on a 4.2/4.3 master: runs COMMAND in the etcd-member container (the only
/// container the model keeps), where etcdctl and the /etc/ssl/etcd certificates are, as 3.3.1 step 4 does. A leading
/// <c>env NAME=value</c> or <c>/bin/sh -c "..."</c> works as in the container.
/// </summary>
internal static class Ocp42CrictlExec
{
    /// <summary>The etcd-member container's id as <c>crictl ps</c> prints it.</summary>
    public const string EtcdMemberContainer = "6b3e1a9c2d4f0";

    public static async Task<int> RunAsync(Ocp42Cluster model, LabCommandContext c)
    {
        if (!c.Privileged)
            return await FatalAsync(model, c, "connect: permission denied (crictl talks to /var/run/crio/crio.sock as root: sudo crictl)");
        var args = c.Args.Skip(1).SkipWhile(a => a.StartsWith('-')).ToList();
        if (args.Count == 0) return await FatalAsync(model, c, "ID cannot be empty");
        var id = args[0];
        var command = args.Skip(1).ToList();
        if (command.Count == 0) return await FatalAsync(model, c, "command cannot be empty");
        if (id.Length < 3 || !EtcdMemberContainer.StartsWith(id, StringComparison.Ordinal) || !model.EtcdRunning(c.Host))
            return await FatalAsync(model, c, $"execing command in container: rpc error: code = NotFound desc = could not find container \"{id}\"");

        if (command is ["env", ..]) command = command.Skip(1).ToList(); // env NAME=value cmd: the shell takes the assignments
        var script = command is [("sh" or "bash" or "/bin/sh" or "/bin/bash"), "-c", var body, ..]
            ? body
            : string.Join(' ', command.Select(ShellQuote.Quote));
        var sink = new Lines();
        var code = await model.Cluster.Transport.Shell.RunAsync(script, c.Host, sink, c.CancellationToken).ConfigureAwait(false);
        foreach (var (stream, text) in sink.All)
        {
            if (stream == OutputStream.Stderr) await c.ErrAsync(text);
            else await c.OutAsync(text);
        }
        if (code != 0) await FatalAsync(model, c, $"execing command in container: command terminated with exit code {code}");
        return code;
    }

    private static async Task<int> FatalAsync(Ocp42Cluster model, LabCommandContext c, string message)
    {
        await c.ErrAsync($"time=\"{model.Now.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}\" level=fatal msg=\"{message.Replace("\"", "\\\"", StringComparison.Ordinal)}\"");
        return 1;
    }

    private sealed class Lines : IOutputSink
    {
        private readonly object _gate = new();
        private readonly List<(OutputStream, string)> _lines = [];

        public IReadOnlyList<(OutputStream Stream, string Text)> All
        {
            get { lock (_gate) return _lines.ToList(); }
        }

        public void Line(OutputStream stream, string text)
        {
            lock (_gate) _lines.Add((stream, text));
        }
    }
}
