using System.Collections.Concurrent;
using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using RecoveryConsole.Lab.Api;

namespace RecoveryConsole.Transports.Kubernetes.Tests.Support;

/// <summary>
/// A container with an in-memory file system and the few programs <c>oc cp</c> needs, behaving as GNU tar and
/// coreutils do at the byte level: <c>tar cf - PATH</c>, <c>tar -xmf - -C DIR</c>, <c>sh -c 'head -c N | tar -xmf - -C DIR'</c>,
/// <c>sha256sum</c>, <c>test -d</c>, and <c>cat</c> (stdin to stdout, for stdin-close checks).
/// </summary>
internal sealed partial class FakeContainer
{
    [GeneratedRegex(@"^head -c (\d+) \| tar -xmf - -C (.+)$")]
    private static partial Regex HeadThenTar();

    public ConcurrentDictionary<string, byte[]> Files { get; } = new(StringComparer.Ordinal);
    public HashSet<string> Directories { get; } = ["/", "/tmp"];
    public ConcurrentQueue<string> Commands { get; } = new();

    /// <summary>Makes sha256sum lie, as a file changed or damaged in the pod would look.</summary>
    public bool CorruptChecksums { get; set; }

    public async Task<int> RunAsync(LabExecRequest request, LabExecStreams io, CancellationToken cancellationToken)
    {
        var argv = request.Command;
        Commands.Enqueue(string.Join(' ', argv));
        switch (argv)
        {
            case ["test", "-d", var dir]:
                return Directories.Contains(dir) ? 0 : 1;
            case ["cat"]:
                await io.Stdin.CopyToAsync(io.Stdout, cancellationToken);
                return 0;
            case ["sha256sum", var path]:
                if (!Files.TryGetValue(path, out var content)) return await FailAsync(io, $"sha256sum: {path}: No such file or directory", 1);
                var hash = Convert.ToHexStringLower(SHA256.HashData(CorruptChecksums ? [.. content, 1] : content));
                await WriteAsync(io.Stdout, $"{hash}  {path}\n");
                return 0;
            case ["tar", "cf", "-", var path]:
                return await CreateArchiveAsync(path, io, cancellationToken);
            case ["tar", "-xmf", "-", "-C", var dir]:
                return await ExtractAsync(io.Stdin, dir, io, cancellationToken);
            case ["sh", "-c", var script] when HeadThenTar().Match(script) is { Success: true } match:
                var length = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                var exact = new byte[length];
                await io.Stdin.ReadExactlyAsync(exact, cancellationToken); // head -c N: exactly N bytes, then EOF for tar
                return await ExtractAsync(new MemoryStream(exact), Unquote(match.Groups[2].Value), io, cancellationToken);
            default:
                return await FailAsync(io, $"exec: \"{argv[0]}\": executable file not found in $PATH", 127);
        }
    }

    private async Task<int> CreateArchiveAsync(string path, LabExecStreams io, CancellationToken cancellationToken)
    {
        var isDirectory = Directories.Contains(path);
        if (!isDirectory && !Files.ContainsKey(path)) return await FailAsync(io, $"tar: {path}: Cannot stat: No such file or directory", 2);
        await WriteAsync(io.Stderr, "tar: Removing leading `/' from member names\n");
        var buffer = new MemoryStream();
        await using (var writer = new TarWriter(buffer, TarEntryFormat.Gnu, leaveOpen: true))
        {
            var name = path.TrimStart('/');
            if (isDirectory)
            {
                await writer.WriteEntryAsync(new GnuTarEntry(TarEntryType.Directory, name + "/"), cancellationToken);
                foreach (var (file, data) in Files.Where(f => f.Key.StartsWith(path + "/", StringComparison.Ordinal)))
                    await writer.WriteEntryAsync(new GnuTarEntry(TarEntryType.RegularFile, file.TrimStart('/')) { DataStream = new MemoryStream(data) }, cancellationToken);
            }
            else
            {
                await writer.WriteEntryAsync(new GnuTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Files[path]) }, cancellationToken);
            }
        }
        // GNU tar pads its output to whole 10240-byte records, past the end-of-archive blocks.
        var padding = (10240 - buffer.Length % 10240) % 10240;
        buffer.Write(new byte[padding]);
        buffer.Position = 0;
        await buffer.CopyToAsync(io.Stdout, cancellationToken);
        return 0;
    }

    private async Task<int> ExtractAsync(Stream archive, string dir, LabExecStreams io, CancellationToken cancellationToken)
    {
        if (!Directories.Contains(dir)) return await FailAsync(io, $"tar: {dir}: Cannot open: No such file or directory", 2);
        await using var reader = new TarReader(archive);
        while (await reader.GetNextEntryAsync(copyData: true, cancellationToken) is { } entry)
        {
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile)) continue;
            var target = dir.TrimEnd('/') + "/" + entry.Name;
            var data = new MemoryStream();
            if (entry.DataStream is not null) await entry.DataStream.CopyToAsync(data, cancellationToken);
            Files[target] = data.ToArray();
        }
        return 0;
    }

    private static string Unquote(string word) => word.StartsWith('\'') && word.EndsWith('\'') ? word[1..^1].Replace("'\\''", "'", StringComparison.Ordinal) : word;

    private static async Task<int> FailAsync(LabExecStreams io, string message, int code)
    {
        await WriteAsync(io.Stderr, message + "\n");
        return code;
    }

    private static Task WriteAsync(Stream stream, string text) => stream.WriteAsync(Encoding.UTF8.GetBytes(text)).AsTask();
}
