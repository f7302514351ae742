using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Transports.Kubernetes.Exec;

namespace RecoveryConsole.Transports.Kubernetes;

// The engine's view of exec and copy: its own records in, its own exception out (it does not know this client's types).
public sealed partial class KubernetesClient
{
    async Task<int> IKubernetesApi.PodExecAsync(PodCommand command, IOutputSink output, CancellationToken cancellationToken)
    {
        var request = new ExecRequest(command.Namespace, command.Pod, command.Command) { Container = command.Container };
        return await Translated(async () => (await ExecAsync(request, output, cancellationToken).ConfigureAwait(false)).ExitCode).ConfigureAwait(false);
    }

    async Task<PodCopied> IKubernetesApi.PodCopyFromAsync(PodPath source, string localPath, IOutputSink log, CancellationToken cancellationToken)
    {
        var copied = await Translated(() => CopyFromPodAsync(ToPodFile(source), localPath, log, cancellationToken)).ConfigureAwait(false);
        return new PodCopied(copied.Bytes, copied.Sha256);
    }

    async Task<PodCopied> IKubernetesApi.PodCopyToAsync(string localPath, PodPath destination, IOutputSink log, CancellationToken cancellationToken)
    {
        var copied = await Translated(() => CopyToPodAsync(localPath, ToPodFile(destination), log, cancellationToken)).ConfigureAwait(false);
        return new PodCopied(copied.Bytes, copied.Sha256);
    }

    private static PodFile ToPodFile(PodPath path) => new(path.Namespace, path.Pod, path.Path) { Container = path.Container };

    private static async Task<T> Translated<T>(Func<Task<T>> operation)
    {
        try { return await operation().ConfigureAwait(false); }
        catch (KubernetesExecException e) { throw new PodOperationException(e.Message, e); }
        catch (PodCopyException e) { throw new PodOperationException(e.Message, e); }
        catch (KubernetesApiException e) { throw new PodOperationException(e.Message, e); }
        catch (ArgumentException e) { throw new PodOperationException(e.Message, e); }
    }
}
