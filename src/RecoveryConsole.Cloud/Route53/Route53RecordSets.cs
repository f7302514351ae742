using System.Net;
using System.Xml.Linq;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;
using Amazon.Util;
using Amazon.S3;
using RecoveryConsole.Orchestration.Clusters;
using RecoveryConsole.Orchestration.Engine;

namespace RecoveryConsole.Cloud.Route53;

/// <summary>
/// Route53's ListResourceRecordSets over HttpClient, signed by AWSSDK.Core's own SigV4 signer (<see cref="AWS4Signer"/>):
/// AWSSDK.Route53 cannot be restored here, and the Core signer is the SDK's tested code rather than a copy of it.
/// Pages are followed with the real API's IsTruncated / NextRecordName / NextRecordType / NextRecordIdentifier.
/// </summary>
internal sealed class Route53RecordSets(CloudAccount account, HttpClient http)
{
    private static readonly XNamespace R53 = "https://route53.amazonaws.com/doc/2013-04-01/";
    /// <summary>Route53 is global: AWS signs it for us-east-1 at route53.amazonaws.com.</summary>
    private static readonly Uri AwsEndpoint = new("https://route53.amazonaws.com/");

    public Uri Endpoint => account.Endpoint ?? AwsEndpoint;

    /// <summary>Records per page asked for (null: Route53's default, up to 300).</summary>
    public int? PageSize { get; init; }

    /// <summary>The names of every record set in the zone (one entry per set).</summary>
    public async Task<IReadOnlyList<string>> ListNamesAsync(string zoneId, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        var query = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (PageSize is { } size) query["maxitems"] = size.ToString(System.Globalization.CultureInfo.InvariantCulture);
        for (var page = 0; page < 10_000; page++)
        {
            var document = await GetPageAsync(zoneId, query, cancellationToken);
            var root = document.Root!;
            names.AddRange(root.Descendants(R53 + "ResourceRecordSet").Select(s => (string?)s.Element(R53 + "Name") ?? ""));
            if ((string?)root.Element(R53 + "IsTruncated") != "true") return names;
            query["name"] = (string?)root.Element(R53 + "NextRecordName") ?? throw new StepFailedException("Route53 said the list goes on but gave no NextRecordName.");
            SetOrRemove(query, "type", (string?)root.Element(R53 + "NextRecordType"));
            SetOrRemove(query, "identifier", (string?)root.Element(R53 + "NextRecordIdentifier"));
        }
        throw new StepFailedException($"Route53's list of hosted zone {zoneId} did not end after 10000 pages.");
    }

    private async Task<XDocument> GetPageAsync(string zoneId, IReadOnlyDictionary<string, string> query, CancellationToken cancellationToken)
    {
        var path = $"/2013-04-01/hostedzone/{Uri.EscapeDataString(zoneId)}/rrset";
        using var message = Signed(path, query);
        HttpResponseMessage response;
        try { response = await http.SendAsync(message, cancellationToken); }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new StepFailedException($"The Route53 endpoint {Endpoint} could not be reached ({S3.S3Failures.Unreachable(e) ?? e.Message}).", inner: e);
        }
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            XDocument? document = null;
            try { document = XDocument.Parse(body); } catch (System.Xml.XmlException) { }
            if (response.IsSuccessStatusCode && document is not null) return document;
            var code = document?.Descendants().FirstOrDefault(e => e.Name.LocalName == "Code")?.Value ?? $"HTTP {(int)response.StatusCode}";
            var text = document?.Descendants().FirstOrDefault(e => e.Name.LocalName == "Message")?.Value ?? "";
            throw new StepFailedException(response.StatusCode == HttpStatusCode.Forbidden
                ? $"Route53 refused the credentials for hosted zone {zoneId} ({code})."
                : code == "NoSuchHostedZone"
                    ? $"Route53 has no hosted zone {zoneId} (NoSuchHostedZone): check the cluster's hosted zone id."
                    : $"Route53 refused to list hosted zone {zoneId} ({code}{(text.Length > 0 ? ": " + text : "")}).");
        }
    }

    /// <summary>A GET signed as the SDK signs a Route53 call (service route53, the account's region on its own endpoint).</summary>
    private HttpRequestMessage Signed(string path, IReadOnlyDictionary<string, string> query)
    {
        var region = account.Endpoint is null ? "us-east-1" : account.Region;
        var request = new DefaultRequest(new ListRecordSets(), "Route53")
        {
            HttpMethod = "GET",
            Endpoint = Endpoint,
            ResourcePath = path,
            AuthenticationRegion = region,
            OverrideSigningServiceName = "route53",
        };
        foreach (var (name, value) in query) request.Parameters[name] = value;
        // The signer needs a client configuration only for the service name, region and clock it signs with.
        var config = new AmazonS3Config { ServiceURL = Endpoint.ToString(), AuthenticationRegion = region, AuthenticationServiceName = "route53" };
        var signature = new AWS4Signer().SignRequest(request, config, null, account.AccessKeyId, account.SecretAccessKey);
        var queryText = string.Join('&', query.Select(p => $"{AWSSDKUtils.UrlEncode(p.Key, false)}={AWSSDKUtils.UrlEncode(p.Value, false)}"));
        var message = new HttpRequestMessage(HttpMethod.Get, new Uri(Endpoint, path + (queryText.Length > 0 ? "?" + queryText : "")));
        foreach (var (name, value) in request.Headers)
            if (!name.Equals("host", StringComparison.OrdinalIgnoreCase)) message.Headers.TryAddWithoutValidation(name, value);
        message.Headers.TryAddWithoutValidation("Authorization", signature.ForAuthorizationHeader);
        return message;
    }

    private static void SetOrRemove(IDictionary<string, string> query, string name, string? value)
    {
        if (string.IsNullOrEmpty(value)) query.Remove(name);
        else query[name] = value;
    }

    /// <summary>The signer asks for the original request only to read its settings; this one has none.</summary>
    private sealed class ListRecordSets : AmazonWebServiceRequest;
}
