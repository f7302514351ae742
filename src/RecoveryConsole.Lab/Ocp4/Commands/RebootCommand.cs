using System.Globalization;
using RecoveryConsole.Lab.Shell;

namespace RecoveryConsole.Lab.Ocp4.Commands;

/// <summary>
/// Rebooting a host: <c>systemctl reboot</c>, <c>reboot</c> and <c>shutdown -r [now|+MIN]</c>. As root the host goes
/// down at once and the session ends under the command (<see cref="SessionClosedException"/>: the lab transport then
/// reports what ssh does, "Connection to ADDRESS closed by remote host." and exit status 255). Without root, logind
/// refuses as it does over ssh, where no polkit agent can ask for a password.
/// </summary>
internal sealed class RebootCommand(Ocp4Cluster model, string name) : ILabCommand
{
    public string Name => name;

    public Task<int> RunAsync(LabCommandContext context) => name == "shutdown" ? ShutdownAsync(context) : RebootAsync(model, context);

    /// <summary>Reboots the host now (root), or prints systemd's refusal.</summary>
    internal static async Task<int> RebootAsync(Ocp4Cluster model, LabCommandContext context)
    {
        if (!context.Privileged)
        {
            await context.ErrAsync("Failed to set wall message, ignoring: Interactive authentication required.").ConfigureAwait(false);
            await context.ErrAsync("Failed to reboot system via logind: Interactive authentication required.").ConfigureAwait(false);
            await context.ErrAsync("Failed to start reboot.target: Interactive authentication required.").ConfigureAwait(false);
            await context.ErrAsync("See system logs and 'systemctl status reboot.target' for details.").ConfigureAwait(false);
            return 1;
        }
        await context.Stdout.FlushAsync(context.CancellationToken).ConfigureAwait(false);
        model.Change(() => model.Reboot(model.NodeOf(context.Host)));
        throw new SessionClosedException();
    }

    /// <summary>shutdown -r [now|+MIN|hh:mm is not simulated]: later reboots are announced and scheduled on the lab clock.</summary>
    private async Task<int> ShutdownAsync(LabCommandContext context)
    {
        var flags = context.Args.Where(a => a.StartsWith('-')).ToList();
        var times = context.Args.Where(a => !a.StartsWith('-')).ToList();
        if (!flags.Any(f => f is "-r" or "--reboot"))
        {
            await context.ErrAsync("shutdown: the lab simulates reboots only (shutdown -r)").ConfigureAwait(false);
            return 1;
        }
        var when = times.Count > 0 ? times[0] : "+1";
        if (when is "now" or "+0") return await RebootAsync(model, context).ConfigureAwait(false);
        if (!when.StartsWith('+') || !int.TryParse(when[1..], NumberStyles.None, CultureInfo.InvariantCulture, out var minutes))
        {
            await context.ErrAsync($"Failed to parse time specification: {when}").ConfigureAwait(false);
            return 1;
        }
        if (!context.Privileged) return await RebootAsync(model, context).ConfigureAwait(false);
        var at = model.Change(() =>
        {
            var node = model.NodeOf(context.Host);
            model.At(TimeSpan.FromMinutes(minutes), "scheduled reboot of " + node.Name, _ =>
            {
                if (node.IsUp) model.Reboot(node);
            });
            return model.Now + TimeSpan.FromMinutes(minutes);
        });
        await context.ErrAsync($"Reboot scheduled for {at.UtcDateTime.ToString("ddd yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)}, use 'shutdown -c' to cancel.").ConfigureAwait(false);
        return 0;
    }
}
