using RecoveryConsole.Cloud.Route53;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Tests.Actions.Cloud;

/// <summary>
/// waitForDnsRecordsGone against the lab's Route53 (ListResourceRecordSets signed with AWSSDK.Core's SigV4 signer): the
/// records external-dns published for hosted-1's routes go once the routes are deleted on the management cluster.
/// </summary>
[Trait("Category", "S3")]
[Trait("Category", "Security")]
public sealed class DnsWaitTests
{
    private const string Routes = "/apis/route.openshift.io/v1/namespaces/clusters-hosted-1/routes";

    /// <summary>The zone's records as external-dns left them after the management cluster reconciled its routes.</summary>
    private static async Task<int> PublishedAsync(CloudLab lab)
    {
        var api = lab.Lab.Find(CloudLab.Cluster)!.Api;
        Assert.Equal(200, (await api.SendAsync(new ApiRequest("GET", Routes), default)).Status);
        var records = lab.Estate.Route53.Records;
        Assert.NotEmpty(records);
        // Each route: its CNAME and the TXT of its owner; and the zone's NS and SOA.
        return records.Count * 2 + 2;
    }

    private Dictionary<string, string> Wait(CloudLab lab, string attempts) => new() { ["domain"] = lab.Estate.Route53.Domain, ["attempts"] = attempts };

    [Fact]
    public async Task The_wait_counts_down_each_try_until_the_deleted_routes_records_are_gone()
    {
        await using var lab = await CloudLab.StartAsync();
        var all = await PublishedAsync(lab);
        var domain = lab.Estate.Route53.Domain;
        var start = lab.Time.GetUtcNow();
        var api = lab.Lab.Find(CloudLab.Cluster)!.Api;

        // Page by page (3 record sets a page), as Route53 pages a large zone; the routes are deleted after the second try.
        var run = await lab.RunAsync(new WaitForDnsRecordsGoneAction { PageSize = 3 }, Wait(lab, "5"), onLine: line =>
        {
            if (line.StartsWith("Try (2/5)", StringComparison.Ordinal))
                Assert.True(api.SendAsync(new ApiRequest("DELETE", Routes), default).GetAwaiter().GetResult().IsSuccess);
        });

        Assert.Equal([$"Try (1/5): {all} records left for {domain}", $"Try (2/5): {all} records left for {domain}", $"Try (3/5): 2 records left for {domain}"], run.Lines);
        Assert.Equal("2", run.Output("remaining"));
        Assert.Empty(lab.Estate.Route53.Records);
        // Two waits of the default 10 s, on the run's (virtual) clock.
        Assert.Equal(TimeSpan.FromSeconds(20), lab.Time.GetUtcNow() - start);
    }

    [Fact]
    public async Task A_zone_larger_than_a_page_is_read_page_by_page_with_each_page_signed()
    {
        await using var lab = await CloudLab.StartAsync();
        var all = await PublishedAsync(lab);
        var counting = new CountingHandler();
        using var paged = new HttpClient(counting);
        using var whole = new HttpClient();

        var byPages = await new Route53RecordSets(lab.Account, paged) { PageSize = 3 }.ListNamesAsync(lab.Estate.Route53.Id, default);
        var inOne = await new Route53RecordSets(lab.Account, whole).ListNamesAsync(lab.Estate.Route53.Id, default);

        Assert.Equal(all, inOne.Count);
        Assert.Equal(inOne, byPages);
        // Every page after the first carries name (and type) in its signed query: all were accepted.
        Assert.Equal((all + 2) / 3, counting.Requests);
        Assert.True(counting.Requests > 1);
    }

    private sealed class CountingHandler() : DelegatingHandler(new HttpClientHandler())
    {
        public int Requests;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Requests);
            return base.SendAsync(request, cancellationToken);
        }
    }

    [Fact]
    public async Task The_wait_gives_up_in_words_after_its_tries_when_the_records_stay()
    {
        await using var lab = await CloudLab.StartAsync();
        var all = await PublishedAsync(lab);
        var domain = lab.Estate.Route53.Domain;
        var start = lab.Time.GetUtcNow();
        List<string> lines = [];

        var failed = await Assert.ThrowsAsync<StepFailedException>(() => lab.RunAsync(new WaitForDnsRecordsGoneAction(), Wait(lab, "4"), onLine: lines.Add));

        Assert.Equal($"The DNS records of {domain} were not withdrawn after 4 tries every 10s: {all} left (at most 2 may stay). Is external-dns still running for this hosted cluster?", failed.Message);
        Assert.Equal(Enumerable.Range(1, 4).Select(n => $"Try ({n}/4): {all} records left for {domain}"), lines);
        Assert.Equal(TimeSpan.FromSeconds(30), lab.Time.GetUtcNow() - start);
    }

    [Fact]
    public async Task A_wrong_secret_or_an_unknown_zone_is_refused_in_words()
    {
        await using var lab = await CloudLab.StartAsync();

        var secret = await Assert.ThrowsAsync<StepFailedException>(() => lab.RunAsync(new WaitForDnsRecordsGoneAction(), Wait(lab, "3"), lab.WrongSecret()));
        var zone = await Assert.ThrowsAsync<StepFailedException>(() => lab.RunAsync(new WaitForDnsRecordsGoneAction(),
            new Dictionary<string, string>(Wait(lab, "3")) { ["hostedZoneId"] = "/hostedzone/Z0NOTTHISZONE" }));
        var closed = CloudLab.ClosedEndpoint();
        var unreachable = await Assert.ThrowsAsync<StepFailedException>(() => lab.RunAsync(new WaitForDnsRecordsGoneAction(), Wait(lab, "3"), lab.Account with { Endpoint = closed }));

        Assert.Equal($"Route53 refused the credentials for hosted zone {lab.Estate.Route53.Id} (SignatureDoesNotMatch).", secret.Message);
        Assert.Equal("Route53 has no hosted zone Z0NOTTHISZONE (NoSuchHostedZone): check the cluster's hosted zone id.", zone.Message);
        Assert.StartsWith($"The Route53 endpoint {closed} could not be reached (", unreachable.Message, StringComparison.Ordinal);
    }
}
