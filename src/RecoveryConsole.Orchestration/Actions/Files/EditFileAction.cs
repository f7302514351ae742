using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Actions.Files;

/// <summary>
/// Edits a file on a host from a reviewed diff, never with an editor: the console reads the file, applies the line
/// operations (<see cref="LineEdits"/>) and shows the unified diff with the original's SHA-256 as the step's preview,
/// which the approval binds. As it runs it reads the file again: a different SHA-256 than the one the diff was made from
/// changes nothing and fails in words. Otherwise the original is kept on the host (<c>PATH.bak-STAMP</c>, <c>cp -p</c>,
/// checked), the new content written atomically with the original's owner and mode, and read back to verify.
/// Arguments: host, path, sudo, removeLinesMatching, replaceLine + with, appendLine, inSections. Outputs: backup, sha256 (new).
/// </summary>
public sealed class EditFileAction : IPreviewableAction
{
    public string Name => "editFile";
    public IReadOnlyCollection<string> Arguments { get; } = ["host", "path", "sudo", .. LineEdits.ArgumentNames];
    public IReadOnlyCollection<string> Outputs { get; } = ["backup", "sha256"];

    public async Task<ActionPreview> PreviewAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var (target, original, edited) = await EditAsync(context, cancellationToken);
        var newSha = Sha256(edited.Text);
        var diff = UnifiedDiff.Render(edited.Script, $"{target.Path} ({target.Host.Name}, sha256 {original.Sha256})", $"{target.Path} (edited, sha256 {newSha})");
        var text = $"editFile {target.Where}: {original.Bytes} bytes, sha256 {original.Sha256} -> {Encoding.UTF8.GetByteCount(edited.Text)} bytes, sha256 {newSha}\n{diff}";
        return new ActionPreview(text, original.Sha256, Changed(target));
    }

    public async Task ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var preview = context.Preview ?? await PreviewAsync(context, cancellationToken);
        var (target, original, edited) = await EditAsync(context, cancellationToken);
        if (original.Sha256 != preview.Basis) throw new StepFailedException(Changed(target));
        var files = HostFileArguments.Files(context);
        var ownership = await files.OwnershipAsync(target.Host, target.Path, target.Sudo, cancellationToken);
        var stamp = context.Clock.GetUtcNow().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var backup = await HostBackup.KeepAsync(context, target.Host, target.Path, stamp, target.Sudo, cancellationToken);
        var (_, kept) = await HostFileArguments.ReadAsync(files, target.Host, backup, target.Sudo, cancellationToken);
        if (kept.Sha256 != original.Sha256)
            throw new StepFailedException($"{target.Host.Name}: the backup {backup} (sha256 {kept.Sha256}) is not the original (sha256 {original.Sha256}): " +
                                          $"{target.Path} changed meanwhile. The edit was not applied.");
        context.Output.Line(OutputStream.Stdout, $"{target.Host.Name}: kept the original as {backup} (sha256 {kept.Sha256})");

        var options = new FileWriteOptions(Sudo: target.Sudo, Mode: ownership?.Mode, CreateDirectories: false, Owner: ownership?.Owner);
        var written = await files.WriteAsync(target.Host, target.Path, new MemoryStream(HostFileArguments.Bytes(edited.Text)), options, cancellationToken);
        var (_, reread) = await HostFileArguments.ReadAsync(files, target.Host, target.Path, target.Sudo, cancellationToken);
        if (reread.Sha256 != written.Sha256)
            throw new StepFailedException($"{target.Where} reads back with sha256 {reread.Sha256}, not the {written.Sha256} written: something else changed it. " +
                                          $"The original is kept as {backup}.");
        context.Output.Line(OutputStream.Stdout, $"console -> {target.Host.Name}:{written.Path} ({written.Bytes} bytes, sha256 {written.Sha256}" +
                                                 (ownership is null ? "" : $", mode {ownership.Mode}, owner {ownership.Owner}") + "), read back: the same");
        context.SetOutput("backup", JsonValue.Create(backup));
        context.SetOutput("sha256", JsonValue.Create(written.Sha256));
    }

    private sealed record Target(HostInfo Host, string Path, bool Sudo)
    {
        public string Where => $"{Path} on {Host.Name}";
    }

    /// <summary>Reads the file as it is now and applies the operations to it.</summary>
    private async Task<(Target Target, FileTransfer Original, EditedText Edited)> EditAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var target = new Target(context.Host(context.RequiredArgument("host")), context.RequiredArgument("path"), HostFileArguments.Sudo(context, Name));
        if (!target.Path.StartsWith('/')) throw new StepFailedException($"editFile: the path '{target.Path}' must be absolute.");
        var edits = LineEdits.From(context);
        var (bytes, original) = await HostFileArguments.ReadAsync(HostFileArguments.Files(context), target.Host, target.Path, target.Sudo, cancellationToken);
        return (target, original, edits.Apply(HostFileArguments.Text(bytes, target.Where), target.Where));
    }

    private static string Changed(Target target) =>
        $"{target.Path} on {target.Host.Name} changed since the diff was approved: the edit was not applied; review the new diff";

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(HostFileArguments.Bytes(text)));
}
