using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Procedures.Rendering;

namespace RecoveryConsole.Orchestration.Actions.Files;

/// <summary>
/// Keeps a file's previous content on its host before it is replaced: <c>cp -p</c> (owner, mode and times kept) to
/// <c>PATH.bak-SUFFIX</c>, never over an older backup (a second one gets -2, -3, ...), so the true original survives
/// any number of edits.
/// </summary>
internal static class HostBackup
{
    private const int MaxTries = 20;

    /// <summary>Whether <paramref name="path"/> exists on the host (<c>test -e</c>).</summary>
    public static async Task<bool> ExistsAsync(ActionContext context, HostInfo host, string path, bool sudo, CancellationToken cancellationToken)
    {
        var result = await HostCommand.RunAsync(context, host, $"{Sudo(sudo)}test -e {ShellQuote.Quote(path)}", cancellationToken);
        return result.ExitCode switch
        {
            0 => true,
            1 => false,
            var exit => throw new StepFailedException($"{host.Name}: could not tell whether {path} exists (test exited {exit}). Nothing was changed."),
        };
    }

    /// <summary>Copies <paramref name="path"/> to a backup name that does not exist yet and returns that name.</summary>
    public static async Task<string> KeepAsync(ActionContext context, HostInfo host, string path, string suffix, bool sudo, CancellationToken cancellationToken)
    {
        for (var n = 1; n <= MaxTries; n++)
        {
            var backup = n == 1 ? $"{path}.bak-{suffix}" : $"{path}.bak-{suffix}-{n}";
            if (await ExistsAsync(context, host, backup, sudo, cancellationToken)) continue;
            var copy = await HostCommand.RunAsync(context, host, $"{Sudo(sudo)}cp -p -- {ShellQuote.Quote(path)} {ShellQuote.Quote(backup)}", cancellationToken);
            if (copy.ExitCode != 0)
                throw new StepFailedException($"{host.Name}: keeping the original {path} as {backup} failed (exit {copy.ExitCode}" +
                                              $"{(copy.Stderr.Count > 0 ? $": {copy.Stderr[^1]}" : "")}). Nothing was changed.");
            return backup;
        }
        throw new StepFailedException($"{host.Name}: {path}.bak-{suffix} and {MaxTries - 1} numbered backups already exist: remove old backups first. Nothing was changed.");
    }

    private static string Sudo(bool sudo) => sudo ? "sudo -n " : "";
}
