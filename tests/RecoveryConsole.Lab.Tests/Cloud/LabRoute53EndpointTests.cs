using System.Net;
using System.Xml.Linq;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;
using Amazon.S3.Model;
using RecoveryConsole.Lab.Cloud;

namespace RecoveryConsole.Lab.Tests.Cloud;

/// <summary>Route53's ListResourceRecordSets on the lab endpoint, signed by AWSSDK.Core's own SigV4 signer.</summary>
[Trait("Category", "S3")]
[Trait("Category", "Security")]
public sealed class LabRoute53EndpointTests
{
    private static readonly XNamespace R53 = "https://route53.amazonaws.com/doc/2013-04-01/";

    /// <summary>A GET signed as the AWS SDK signs a Route53 call (service route53, us-east-1).</summary>
    private static HttpRequestMessage Signed(LabCloudFixture lab, string path, string? secret = null)
    {
        var request = new DefaultRequest(new ListObjectsV2Request(), "Route53")
        {
            HttpMethod = "GET",
            Endpoint = lab.Endpoint.Address,
            ResourcePath = path,
            AuthenticationRegion = LabCloudCredentials.Region,
            OverrideSigningServiceName = "route53",
        };
        var config = lab.Config();
        config.AuthenticationServiceName = "route53";
        var result = new AWS4Signer().SignRequest(request, config, null, lab.Estate.Credentials.AccessKeyId, secret ?? lab.Estate.Credentials.SecretAccessKey);
        var message = new HttpRequestMessage(HttpMethod.Get, new Uri(lab.Endpoint.Address, path));
        foreach (var (name, value) in request.Headers)
            if (!name.Equals("host", StringComparison.OrdinalIgnoreCase)) message.Headers.TryAddWithoutValidation(name, value);
        message.Headers.TryAddWithoutValidation("Authorization", result.ForAuthorizationHeader);
        return message;
    }

    private static string RrsetPath(LabCloudFixture lab) => $"/2013-04-01/hostedzone/{lab.Estate.Route53.Id}/rrset";

    [Fact]
    public async Task A_signed_list_shows_the_records_external_dns_published_with_their_owner()
    {
        await using var lab = await LabCloudFixture.StartAsync();
        var host = "api-hosted-1." + lab.Estate.Route53.Domain;
        Assert.True(lab.Estate.Route53.Publish(host, "router-default.apps.lab-mgmt-a.lab.example", "lab-mgmt-a"));
        using var http = new HttpClient();

        using var response = await http.SendAsync(Signed(lab, RrsetPath(lab)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sets = XDocument.Parse(await response.Content.ReadAsStringAsync()).Descendants(R53 + "ResourceRecordSet")
            .Select(s => (Name: (string)s.Element(R53 + "Name")!, Type: (string)s.Element(R53 + "Type")!, Value: (string)s.Descendants(R53 + "Value").Single())).ToList();
        Assert.Contains((host + ".", "CNAME", "router-default.apps.lab-mgmt-a.lab.example"), sets);
        Assert.Contains(sets, s => s.Type == "TXT" && s.Value.Contains("external-dns/owner=lab-mgmt-a", StringComparison.Ordinal));
        Assert.Contains(sets, s => s.Type == "SOA");

        // Withdrawn: the CNAME is gone from the next list (what the document's wait polls for).
        lab.Estate.Route53.Withdraw(host, "lab-mgmt-a");
        using var after = await http.SendAsync(Signed(lab, RrsetPath(lab)));
        Assert.DoesNotContain("CNAME", await after.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unsigned_or_wrongly_signed_list_is_refused()
    {
        await using var lab = await LabCloudFixture.StartAsync();
        lab.Estate.Route53.Publish("api-hosted-1." + lab.Estate.Route53.Domain, "router-default.apps.lab-mgmt-a.lab.example", "lab-mgmt-a");
        using var http = new HttpClient();

        using var unsigned = await http.GetAsync(new Uri(lab.Endpoint.Address, RrsetPath(lab)));
        using var wrong = await http.SendAsync(Signed(lab, RrsetPath(lab), secret: "not-the-secret-of-this-estate-0000000000"));

        Assert.Equal(HttpStatusCode.Forbidden, unsigned.StatusCode);
        Assert.Contains("<Code>MissingAuthenticationToken</Code>", await unsigned.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        var body = await wrong.Content.ReadAsStringAsync();
        Assert.Contains("<Code>SignatureDoesNotMatch</Code>", body, StringComparison.Ordinal);
        Assert.DoesNotContain("api-hosted-1", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_zone_is_not_found()
    {
        await using var lab = await LabCloudFixture.StartAsync();
        using var http = new HttpClient();

        using var response = await http.SendAsync(Signed(lab, "/2013-04-01/hostedzone/ZNOSUCHZONE/rrset"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("<Code>NoSuchHostedZone</Code>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
