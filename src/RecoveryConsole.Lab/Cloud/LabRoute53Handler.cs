using System.Text;
using Microsoft.AspNetCore.Http;
using RecoveryConsole.Lab.Hosted;

namespace RecoveryConsole.Lab.Cloud;

/// <summary>
/// Route53's ListResourceRecordSets (GET /2013-04-01/hostedzone/{id}/rrset) for the estate's zone: its SOA and NS, and
/// for each record external-dns published a CNAME plus the TXT that says which management cluster owns it. Paged as
/// Route53 pages (maxitems; name and type of the next page's first record set).
/// </summary>
internal sealed class LabRoute53Handler(HostedEstate estate)
{
    public const string PathPrefix = "/2013-04-01/";
    private const string Namespace = "https://route53.amazonaws.com/doc/2013-04-01/";
    /// <summary>Route53's largest page of ListResourceRecordSets.</summary>
    private const int MaxItems = 300;

    public async Task HandleAsync(HttpContext context, string target)
    {
        var query = target.IndexOf('?');
        var rawPath = query < 0 ? target : target[..query];
        var verdict = estate.Verifier.Verify(context.Request.Method, rawPath, query < 0 ? "" : target[(query + 1)..], LabCloudEndpoint.HeadersOf(context.Request), "route53");
        if (!verdict.Accepted)
        {
            await Refuse(context, verdict.Code!, verdict.Message!).ConfigureAwait(false);
            return;
        }
        var zone = estate.Route53;
        var segments = rawPath[PathPrefix.Length..].Split('/');
        if (!HttpMethods.IsGet(context.Request.Method) || segments is not ["hostedzone", _, "rrset"])
        {
            await Refuse(context, "InvalidInput", "The lab's Route53 serves ListResourceRecordSets (GET /2013-04-01/hostedzone/{id}/rrset) only.").ConfigureAwait(false);
            return;
        }
        if (segments[1] != zone.Id)
        {
            await Refuse(context, "NoSuchHostedZone", $"No hosted zone found with ID: {segments[1]}").ConfigureAwait(false);
            return;
        }

        var apex = zone.Domain + ".";
        var sets = new List<(string Name, string Type, int Ttl, string Value)>
        {
            (apex, "NS", 172800, "ns-1.awsdns-lab.org."),
            (apex, "SOA", 900, "ns-1.awsdns-lab.org. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400"),
        };
        foreach (var (name, value) in zone.Records)
        {
            sets.Add((name + ".", "CNAME", 300, value));
            if (zone.OwnerOf(name) is { } owner) sets.Add(("cname-" + name + ".", "TXT", 300, $"\"heritage=external-dns,external-dns/owner={owner}\""));
        }
        sets.Sort((a, b) => string.CompareOrdinal(a.Name + " " + a.Type, b.Name + " " + b.Type));

        // Paging as Route53 pages: maxitems per page (at most 300), the next page starting at name (and type).
        var parameters = SigV4.ParseQuery(query < 0 ? "" : target[(query + 1)..]);
        string? Param(string name) => parameters.Where(p => p.Name == name).Select(p => p.Value).FirstOrDefault();
        var maxItems = int.TryParse(Param("maxitems"), out var m) && m is > 0 and <= MaxItems ? m : MaxItems;
        var start = Param("name") is { } from ? from.EndsWith('.') ? from : from + "." : null;
        var startKey = start is null ? null : start + " " + (Param("type") ?? "");
        var page = sets.Where(s => startKey is null || string.CompareOrdinal(s.Name + " " + s.Type, startKey) >= 0).ToList();
        var truncated = page.Count > maxItems;

        var xml = new StringBuilder($"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListResourceRecordSetsResponse xmlns=\"{Namespace}\"><ResourceRecordSets>");
        foreach (var set in page.Take(maxItems)) Append(xml, set.Name, set.Type, set.Ttl, set.Value);
        xml.Append($"</ResourceRecordSets><IsTruncated>{(truncated ? "true" : "false")}</IsTruncated>");
        if (truncated) xml.Append($"<NextRecordName>{LabCloudErrors.Escape(page[maxItems].Name)}</NextRecordName><NextRecordType>{page[maxItems].Type}</NextRecordType>");
        xml.Append($"<MaxItems>{maxItems}</MaxItems></ListResourceRecordSetsResponse>");
        await LabCloudEndpoint.WriteXmlAsync(context.Response, 200, xml.ToString()).ConfigureAwait(false);
    }

    private static void Append(StringBuilder xml, string name, string type, int ttl, string value) =>
        xml.Append($"<ResourceRecordSet><Name>{LabCloudErrors.Escape(name)}</Name><Type>{type}</Type><TTL>{ttl}</TTL><ResourceRecords><ResourceRecord><Value>{LabCloudErrors.Escape(value)}</Value></ResourceRecord></ResourceRecords></ResourceRecordSet>");

    private static Task Refuse(HttpContext context, string code, string message) =>
        LabCloudEndpoint.WriteXmlAsync(context.Response, LabCloudErrors.StatusOf(code), LabCloudErrors.Route53(code, message));
}
