using System.Net;
using System.Text.RegularExpressions;

namespace RecoveryConsole.Clusters.Registration;

/// <summary>
/// The AWS account an operator enters for a cluster's cloud steps. The secret access key comes in once and is stored
/// encrypted; null or empty keeps the stored one.
/// </summary>
public sealed partial record CloudAccountRequest
{
    public string AccessKeyId { get; init; } = "";
    public string? SecretAccessKey { get; init; }
    public string Region { get; init; } = "us-east-1";
    public string? HostedZoneId { get; init; }
    /// <summary>An S3/Route53-compatible endpoint: https, or http only on 127.0.0.0/8; empty: AWS's own.</summary>
    public string? Endpoint { get; init; }

    /// <summary>Never the secret (records print every property by default).</summary>
    public override string ToString() => $"AWS account {AccessKeyId} in {Region}";

    /// <summary>What is wrong, one sentence per problem; <paramref name="hasStoredSecret"/>: a secret may be left empty to keep it.</summary>
    internal IEnumerable<string> Problems(bool hasStoredSecret)
    {
        if (!AccessKeyIdShape().IsMatch(AccessKeyId.Trim()))
            yield return "Cloud account: the access key id is 16 to 128 capital letters and digits (like AKIA...).";
        if (string.IsNullOrWhiteSpace(SecretAccessKey))
        {
            if (!hasStoredSecret) yield return "Cloud account: give the secret access key.";
        }
        else if (SecretAccessKey.Trim().Length < 16 || SecretAccessKey.Trim().Any(char.IsWhiteSpace))
            yield return "Cloud account: the secret access key is at least 16 characters without spaces.";
        if (!RegionShape().IsMatch(Region.Trim()))
            yield return $"Cloud account: '{Region}' is not an AWS region (like us-east-1).";
        if (HostedZoneId is { Length: > 0 } zone && !HostedZoneShape().IsMatch(zone.Trim()))
            yield return $"Cloud account: '{zone}' is not a Route53 hosted zone id (like Z0123456789ABC).";
        if (Endpoint is { Length: > 0 } endpoint && EndpointProblem(endpoint.Trim()) is { } problem)
            yield return problem;
    }

    /// <summary>The endpoint as stored: absolute, no credentials or query, and not plain http beyond this machine.</summary>
    internal static string? EndpointProblem(string endpoint)
    {
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            return $"Cloud account: endpoint '{endpoint}' is not an http(s) URL.";
        if (uri.UserInfo.Length > 0 || uri.Query.Length > 0 || uri.Fragment.Length > 0)
            return "Cloud account: the endpoint carries no user, query or fragment; the credentials go in their own fields.";
        if (uri.Scheme == "http" && !(IPAddress.TryParse(uri.Host, out var address) && address.GetAddressBytes() is [127, _, _, _]))
            return $"Cloud account: endpoint '{endpoint}' would send signed requests in clear over the network; use https (plain http only on 127.0.0.0/8).";
        return null;
    }

    [GeneratedRegex("^[A-Z0-9]{16,128}$")]
    private static partial Regex AccessKeyIdShape();

    [GeneratedRegex("^[a-z]{2}(-[a-z]+)+-[0-9]+$")]
    private static partial Regex RegionShape();

    [GeneratedRegex("^(/hostedzone/)?[A-Z0-9]{1,32}$")]
    private static partial Regex HostedZoneShape();
}
