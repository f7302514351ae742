using System.Diagnostics;
using System.Globalization;
using RecoveryConsole.Orchestration.Audit;

namespace RecoveryConsole.Audit.AuditTrail;

/// <summary>
/// Optionally copies each chain head to syslog/journald with the system's <c>logger</c> (util-linux), so a second copy of
/// the anchor lives where the console's user cannot rewrite it. Off unless a socket is configured (usually /dev/log).
/// </summary>
public sealed class SyslogWitness(string socket)
{
    public const string Tag = "recoveryconsole-audit";

    public string Socket { get; } = socket;

    /// <summary>Waits for logger (a few milliseconds); a failure is returned, never thrown: the entry is already committed and anchored.</summary>
    public string? Write(AuditHead head)
    {
        try
        {
            using var logger = Process.Start(new ProcessStartInfo("logger",
                ["-u", Socket, "-t", Tag, "--", string.Create(CultureInfo.InvariantCulture, $"audit head seq {head.Sequence} hash {head.Hash}")])
            {
                RedirectStandardError = true, UseShellExecute = false,
            })!;
            var error = logger.StandardError.ReadToEnd();
            if (!logger.WaitForExit(5_000)) { logger.Kill(); return "logger did not finish within 5 s"; }
            return logger.ExitCode == 0 ? null : $"logger exited with {logger.ExitCode}: {error.Trim()}";
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return $"logger could not be started: {e.Message}";
        }
    }
}
