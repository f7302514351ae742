using System.Globalization;
using RecoveryConsole.Orchestration.Actions;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Procedures.Model;

namespace RecoveryConsole.Cloud.Route53;

/// <summary>
/// The document's wait for external-dns to withdraw the hosted cluster's records (8.6.2 step 6: list the zone, count
/// the records of the external DNS domain, <c>while ROUTES &gt; 2</c> sleep 10, give up after 40 tries), on the run's
/// clock. The zone's own NS and SOA stay, hence <c>allowed</c> (default 2).
/// </summary>
public sealed class WaitForDnsRecordsGoneAction : IStepAction
{
    public string Name => "waitForDnsRecordsGone";
    public IReadOnlyCollection<string> Arguments { get; } = ["domain", "hostedZoneId", "every", "attempts", "allowed"];
    public IReadOnlyCollection<string> Outputs { get; } = ["remaining"];

    /// <summary>Records per Route53 page (null: Route53's own); small in tests to exercise paging.</summary>
    internal int? PageSize { get; init; }

    public async Task ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var account = CloudAccounts.Of(context);
        var domain = context.RequiredArgument("domain").Trim().TrimEnd('.');
        var zone = context.Argument("hostedZoneId", account.HostedZoneId ?? "").Trim();
        if (zone.StartsWith("/hostedzone/", StringComparison.Ordinal)) zone = zone["/hostedzone/".Length..];
        if (zone.Length == 0)
            throw new StepFailedException($"No hosted zone to watch: give hostedZoneId, or register the hosted zone id with cluster {context.Cluster?.Name}'s cloud account.");
        var every = Durations.ParseOr(context.Argument("every", ""), TimeSpan.FromSeconds(10));
        var attempts = Count(context, "attempts", 40, minimum: 1);
        var allowed = Count(context, "allowed", 2, minimum: 0);

        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(1) };
        var records = new Route53RecordSets(account, http) { PageSize = PageSize };
        for (var attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var names = await records.ListNamesAsync(zone, cancellationToken);
            var left = names.Count(n => n.TrimEnd('.').Contains(domain, StringComparison.OrdinalIgnoreCase));
            context.Output.Line(OutputStream.Stdout, $"Try ({attempt}/{attempts}): {left} records left for {domain}");
            if (left <= allowed)
            {
                context.SetOutput("remaining", left);
                return;
            }
            if (attempt >= attempts)
                throw new StepFailedException($"The DNS records of {domain} were not withdrawn after {attempts} tries every {Durations.Format(every)}: {left} left (at most {allowed} may stay). Is external-dns still running for this hosted cluster?");
            await Task.Delay(every, context.Clock, cancellationToken);
        }
    }

    private static int Count(ActionContext context, string name, int fallback, int minimum)
    {
        var text = context.Argument(name, "");
        if (text.Length == 0) return fallback;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= minimum
            ? value : throw new StepFailedException($"{name} '{text}' is not a whole number of at least {minimum}.");
    }
}
