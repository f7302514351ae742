using System.Text.RegularExpressions;
using RecoveryConsole.Lab.Shell;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Lab.Ocp4.Commands.Oc;

/// <summary>
/// Where oc on a lab host sends its requests, from the kubeconfig it finds: --kubeconfig, else the files of KUBECONFIG
/// (missing ones are skipped, as client-go does), else ~/.kube/config. A server on localhost is this host's own
/// kube-apiserver (the recovery kubeconfigs): it answers when its container is ready, and reads or writes when etcd
/// has quorum. Any other server is the cluster's API behind the VIP, as the console reaches it.
/// </summary>
internal sealed partial class OcConnection(Ocp4Cluster model, LabCommandContext context, string server, string user)
{
    public const string MissingConfig =
        "error: Missing or incomplete configuration info.  Please point to an existing, complete config file:\n\n\n" +
        "  1. Via the command-line flag --kubeconfig\n" +
        "  2. Via the KUBECONFIG environment variable\n" +
        "  3. In your home directory as ~/.kube/config\n\n" +
        "To view or setup config directly use the 'config' command.";

    public string User { get; } = user;

    private string HostPort => Regex.Replace(server, "^https?://", "");

    private bool IsLocal => HostPort.StartsWith("localhost:", StringComparison.Ordinal) || HostPort.StartsWith("127.0.0.1:", StringComparison.Ordinal);

    /// <summary>The connection a kubeconfig gives, or the error line(s) oc prints when there is none.</summary>
    public static (OcConnection? Connection, string? Error) Open(Ocp4Cluster model, LabCommandContext context, string? explicitPath)
    {
        var files = context.Host.FileSystem;
        string? text = null;
        if (explicitPath is not null)
        {
            if (!files.TryReadFile(context.ResolvePath(explicitPath), out var content)) return (null, $"error: stat {explicitPath}: no such file or directory");
            text = content;
        }
        else
        {
            var candidates = context.Environment.TryGetValue("KUBECONFIG", out var list) && list.Length > 0
                ? list.Split(':', StringSplitOptions.RemoveEmptyEntries)
                : [(context.Privileged ? "/root" : context.Host.HomeDirectory) + "/.kube/config"];
            foreach (var candidate in candidates)
            {
                if (files.TryReadFile(context.ResolvePath(candidate), out var content))
                {
                    text = content;
                    break;
                }
            }
        }
        var server = text is null ? null : ServerPattern().Match(text) is { Success: true } s ? s.Groups[1].Value : null;
        if (server is null) return (null, MissingConfig);
        var user = UserPattern().Match(text!) is { Success: true } u ? u.Groups[1].Value : "system:admin";
        return (new OcConnection(model, context, server, user), null);
    }

    /// <summary>Sends a request; Failure is what oc prints when nothing answered.</summary>
    public async Task<(ApiResponse? Response, string? Failure)> SendAsync(ApiRequest request, bool needsStorage = true)
    {
        if (!IsLocal)
        {
            try
            {
                return (await model.Api.SendAsync(request, context.CancellationToken).ConfigureAwait(false), null);
            }
            catch (ApiUnreachableException e)
            {
                var reason = e.Message[(e.Message.IndexOf("could not be reached: ", StringComparison.Ordinal) + "could not be reached: ".Length)..];
                return (null, reason.Contains("connection refused", StringComparison.Ordinal)
                    ? $"The connection to the server {HostPort} was refused - did you specify the right host or port?"
                    : $"Unable to connect to the server: {reason}");
            }
        }
        return model.Change<(ApiResponse?, string?)>(() =>
        {
            var node = model.NodeOf(context.Host);
            if (node.RunningContainer(PodKind.KubeApiServer, "kube-apiserver") is not { } kas || !kas.IsReady(model.Now))
                return (null, $"The connection to the server {HostPort} was refused - did you specify the right host or port?");
            if (needsStorage && (model.LiveEtcd is not { } live || !model.HasQuorum(live)))
                return (new ApiResponse(500, """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"etcdserver: request timed out","reason":"InternalError","code":500}"""), null);
            return (model.Api.SendDirect(request), null);
        });
    }

    [GeneratedRegex(@"(?m)^\s*server:\s*(\S+)\s*$")]
    private static partial Regex ServerPattern();

    [GeneratedRegex(@"(?m)^\s*user:\s*(\S+)\s*$")]
    private static partial Regex UserPattern();
}
