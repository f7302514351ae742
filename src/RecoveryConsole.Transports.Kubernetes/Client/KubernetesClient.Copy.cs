using System.Globalization;
using System.IO.Pipelines;
using System.Text.RegularExpressions;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Procedures.Rendering;
using RecoveryConsole.Transports.Kubernetes.Exec;

namespace RecoveryConsole.Transports.Kubernetes;

// oc cp: a single file out of or into a pod as a tar stream over exec, verified by SHA-256 on both ends.
public sealed partial class KubernetesClient
{
    [GeneratedRegex("^[0-9a-fA-F]{64}$")]
    private static partial Regex Sha256Text();

    /// <summary>
    /// Copies <paramref name="source"/> to <paramref name="localPath"/> (<c>tar cf - PATH</c> in the pod). The local file
    /// appears only when the archive was complete and its SHA-256 equals <c>sha256sum</c> in the pod; it is created 0600.
    /// tar's and sha256sum's stderr go to <paramref name="log"/>.
    /// </summary>
    public async Task<PodCopyResult> CopyFromPodAsync(PodFile source, string localPath, IOutputSink? log = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentException.ThrowIfNullOrWhiteSpace(localPath);
        RequireAbsolute(source.Path);
        var target = Path.GetFullPath(localPath);
        var partial = $"{target}.part-{Guid.NewGuid():N}";
        var pipe = new Pipe();
        var extracting = Task.Run(async () =>
        {
            // Disposing the reader's stream completes the pipe, so a failed extraction can never stall the exec writing into it.
            await using var archive = pipe.Reader.AsStream();
            return await TarFile.ExtractSingleAsync(archive, source.ToString(), partial, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
        var stderr = new CapturingSink(log);
        try
        {
            ExecResult tar;
            try
            {
                tar = await ExecAsync(Command(source, "tar", "cf", "-", source.Path), new ExecStreams(Stdout: pipe.Writer.AsStream(), Stderr: stderr), cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await pipe.Writer.CompleteAsync().ConfigureAwait(false);
            }
            if (tar.ExitCode != 0)
                throw new PodCopyException($"tar in {source.Pod} exited with {tar.ExitCode} reading {source.Path}: {Last(stderr.Stderr)}");

            (long Bytes, string Sha256) local;
            try
            {
                local = await extracting.ConfigureAwait(false);
            }
            catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
            {
                throw new PodCopyException($"The archive of {source} arrived incomplete or damaged.", e);
            }
            var remote = await RemoteSha256Async(source, log, cancellationToken).ConfigureAwait(false);
            if (!string.Equals(remote, local.Sha256, StringComparison.OrdinalIgnoreCase))
                throw new PodCopyException($"The copy of {source} does not match: sha256 {local.Sha256} here, {remote} in the pod. The local file was not written.");
            File.Move(partial, target, overwrite: true);
            return new PodCopyResult(local.Bytes, local.Sha256);
        }
        finally
        {
            await Observe(extracting).ConfigureAwait(false);
            File.Delete(partial);
        }
    }

    /// <summary>
    /// Copies <paramref name="localPath"/> to <paramref name="destination"/> (<c>tar -xmf - -C DIR</c> in the pod), after
    /// checking that the directory exists, then compares <c>sha256sum</c> in the pod with the local file. Under the v4
    /// protocol stdin cannot be closed, so the pod reads exactly the archive's length (<c>head -c N | tar ...</c>).
    /// </summary>
    public async Task<PodCopyResult> CopyToPodAsync(string localPath, PodFile destination, IOutputSink? log = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(localPath);
        ArgumentNullException.ThrowIfNull(destination);
        RequireAbsolute(destination.Path);
        var source = Path.GetFullPath(localPath);
        if (!File.Exists(source)) throw new PodCopyException($"The local file {source} does not exist.");
        var cut = destination.Path.LastIndexOf('/');
        var (directory, name) = (cut == 0 ? "/" : destination.Path[..cut], destination.Path[(cut + 1)..]);
        if (name.Length == 0) throw new ArgumentException($"{destination.Path} names a directory; give the file's full path in the pod.", nameof(destination));

        var check = new CapturingSink(log);
        var exists = await ExecAsync(Command(destination, "test", "-d", directory), check, cancellationToken).ConfigureAwait(false);
        if (exists.ExitCode != 0)
            throw new PodCopyException($"The directory {directory} does not exist in {destination.Pod} (test -d exited with {exists.ExitCode}); nothing was copied.");

        var local = await TarFile.HashAsync(source, cancellationToken).ConfigureAwait(false);
        var archivePath = Path.Combine(Path.GetTempPath(), $"rc-cp-{Guid.NewGuid():N}.tar");
        try
        {
            // Built first: its exact length is what a v4 exec must read, and building it cannot fail halfway through the send.
            await using (var archive = new FileStream(archivePath, FileMode.CreateNew, FileAccess.ReadWrite))
            {
                await TarFile.WriteSingleAsync(source, name, archive, cancellationToken).ConfigureAwait(false);
                archive.Position = 0;
                var command = exists.Protocol == KubernetesClientOptions.ChannelV5
                    ? Command(destination, "tar", "-xmf", "-", "-C", directory)
                    : Command(destination, "sh", "-c", $"head -c {archive.Length.ToString(CultureInfo.InvariantCulture)} | tar -xmf - -C {ShellQuote.Quote(directory)}");
                var stderr = new CapturingSink(log);
                var tar = await ExecAsync(command, new ExecStreams(Stdin: archive, Stderr: stderr), cancellationToken).ConfigureAwait(false);
                if (tar.ExitCode != 0)
                    throw new PodCopyException($"tar in {destination.Pod} exited with {tar.ExitCode} writing into {directory}: {Last(stderr.Stderr)}. {destination.Path} may be incomplete.");
            }
            var remote = await RemoteSha256Async(destination, log, cancellationToken).ConfigureAwait(false);
            if (!string.Equals(remote, local.Sha256, StringComparison.OrdinalIgnoreCase))
                throw new PodCopyException($"{destination} does not match the local file: sha256 {remote} in the pod, {local.Sha256} here. Do not use it.");
            return new PodCopyResult(local.Bytes, local.Sha256);
        }
        finally
        {
            File.Delete(archivePath);
        }
    }

    private async Task<string> RemoteSha256Async(PodFile file, IOutputSink? log, CancellationToken cancellationToken)
    {
        var output = new CapturingSink();
        var result = await ExecAsync(Command(file, "sha256sum", file.Path), output, cancellationToken).ConfigureAwait(false);
        foreach (var line in output.Stderr) log?.Line(OutputStream.Stderr, line);
        var hash = output.Stdout.FirstOrDefault()?.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        if (result.ExitCode != 0 || hash is null || !Sha256Text().IsMatch(hash))
            throw new PodCopyException($"The copy of {file} could not be verified: sha256sum in the pod exited with {result.ExitCode} ({Last(output.Stderr)}).");
        return hash.ToLowerInvariant();
    }

    private static ExecRequest Command(PodFile file, params string[] command) =>
        new(file.Namespace, file.Pod, command) { Container = file.Container };

    private static void RequireAbsolute(string path)
    {
        // Relative paths in a pod depend on the image's working directory: a recovery must not.
        if (!path.StartsWith('/')) throw new ArgumentException($"A path in a pod must be absolute: {path}", nameof(path));
    }

    private static string Last(IEnumerable<string> lines) => lines.LastOrDefault(l => l.Length > 0) ?? "no error output";

    private static async Task Observe(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Already reported through the exit code or the archive check above; only keep it from going unobserved.
        }
    }
}
