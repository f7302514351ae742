using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using RecoveryConsole.Lab.Api;
using RecoveryConsole.Lab.Cloud;
using RecoveryConsole.Lab.Clusters;

namespace RecoveryConsole.Lab.Hosted;

/// <summary>
/// What the hosted-control-planes lab clusters share: the AWS account (an S3 bucket and a Route53 zone), the hosted
/// cluster's own API, and the etcd datasets. One estate per <see cref="TimeProvider"/>: the clusters of one
/// <see cref="LabClusterRegistry"/> share it (they share the registry's time), separate registries do not.
/// </summary>
public sealed class HostedEstate
{
    public const string SourceName = "lab-mgmt-a";
    public const string DestinationName = "lab-mgmt-b";
    public const string HostedName = "lab-hosted-1";
    public const string ClusterNamespace = "clusters";
    public const string ClusterName = "hosted-1";
    public const string ControlPlaneNamespace = ClusterNamespace + "-" + ClusterName;
    public const string BaseDomain = "hypershift.lab.example";
    public const string Bucket = "lab-hcp-backups";

    private static readonly ConditionalWeakTable<TimeProvider, HostedEstate> Estates = new();

    internal static HostedEstate For(LabCluster cluster) => Estates.GetValue(cluster.Clock.Time, time => new HostedEstate(time));

    private HostedEstate(TimeProvider time)
    {
        Time = time;
        Verifier = new SigV4Verifier(Credentials, time);
        S3 = new S3Bucket(Bucket) { Verifier = Verifier };
    }

    /// <summary>An estate of its own (tests of the cloud endpoint); lab clusters get theirs with <see cref="Of"/>.</summary>
    public static HostedEstate Create(TimeProvider time) => new(time);

    /// <summary>The lab's clock: presigned URLs expire and signatures age in drill time.</summary>
    public TimeProvider Time { get; }

    /// <summary>The estate's AWS account key pair, made at random when the estate is.</summary>
    public LabCloudCredentials Credentials { get; } = LabCloudCredentials.Generate();

    internal SigV4Verifier Verifier { get; }

    /// <summary>The estate the lab clusters of <paramref name="cluster"/>'s registry share.</summary>
    public static HostedEstate Of(LabCluster cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        return For(cluster);
    }

    internal readonly Dictionary<string, HostedManagementCluster> Management = new(StringComparer.Ordinal);
    internal HostedGuestCluster? Guest { get; set; }

    public S3Bucket S3 { get; }
    public Route53Zone Route53 { get; } = new(BaseDomain);

    /// <summary>The etcd dataset the hosted cluster's API serves now (null while no control plane serves it).</summary>
    internal EtcdDataset? Serving { get; private set; }
    internal string? ServingFrom { get; private set; }

    /// <summary>How often the hosted cluster moved to another management cluster (OVN pods of older generations are stale).</summary>
    internal int Generation { get; private set; }

    /// <summary>Keys that must be in the hosted cluster's keyspace (seeded data the drills must not lose).</summary>
    internal static readonly string[] PreciousKeys =
    [
        "/api/v1/namespaces/shop/configmaps/storefront-config",
        "/api/v1/namespaces/shop/secrets/payment-gateway",
    ];

    private readonly object _gate = new();
    private int _ids = 1;

    internal ulong NewClusterId()
    {
        lock (_gate) return 0x6a3c5e0000000000UL + (ulong)(_ids++ * 7919);
    }

    /// <summary>Back to the seed: no bucket objects, no records, no serving dataset (the models re-seed themselves).</summary>
    internal void Clear()
    {
        S3.Clear();
        Route53.Clear();
        Serving = null;
        ServingFrom = null;
        Generation = 0;
    }

    /// <summary>Resets the other clusters of the estate (a scenario applied to the source starts from a clean estate).</summary>
    internal void ResetSiblings(string except)
    {
        Clear();
        foreach (var model in Management.Values.Where(m => m.Cluster.Info.Name != except).ToList()) model.Cluster.Reset();
        Guest?.Cluster.Reset();
    }

    /// <summary>Which management cluster's control plane serves the hosted cluster's API now.</summary>
    internal void Arbitrate()
    {
        var able = Management.Values.Where(m => m.CanServe).OrderBy(m => m.Cluster.Info.Name == ServingFrom ? 0 : 1).ThenBy(m => m.Cluster.Info.Name, StringComparer.Ordinal).ToList();
        if (able.Count == 0)
        {
            Serve(null, null);
            return;
        }
        Serve(able[0].Cluster.Info.Name, able[0].QuorumDataset);
        Guest?.Sync();
    }

    /// <summary>Switches the hosted cluster's keyspace to <paramref name="dataset"/> (null: nothing serves).</summary>
    internal void Serve(string? management, EtcdDataset? dataset)
    {
        var guest = Guest;
        if (guest is null) return; // the hosted cluster attaches later and asks again
        if (ReferenceEquals(dataset, Serving) && management == ServingFrom) return;
        if (Serving is not null)
        {
            Serving.Objects = guest.Cluster.Api.ExportObjects();
            Serving.Revision = guest.Cluster.Api.Revision;
        }
        if (dataset is { Adopt: true })
        {
            dataset.Adopt = false; // the seed: the hosted API's objects are this dataset's keys
        }
        else if (dataset is not null && !ReferenceEquals(dataset, Serving))
        {
            guest.Cluster.Api.RestoreObjects(dataset.Objects, Math.Max(dataset.Revision, guest.Cluster.Api.Revision) + 1000);
        }
        if (management is not null && ServingFrom is not null && management != ServingFrom) Generation++;
        if (management is not null) ServingFrom = management;
        Serving = dataset;
    }

    /// <summary>The live keys of a dataset (the hosted API's objects when it serves).</summary>
    internal SortedDictionary<string, JsonObject> Keys(EtcdDataset dataset) =>
        ReferenceEquals(dataset, Serving) && Guest is not null
            ? Guest.Cluster.Api.ExportObjects()
            : new SortedDictionary<string, JsonObject>(dataset.Objects, StringComparer.Ordinal);

    /// <summary>
    /// The hosted cluster's keyspace as the member <paramref name="member"/> (etcd-0 ...) of <paramref name="management"/>'s
    /// control plane holds it, key to object JSON; null when that member has no data. For drills that judge a restore.
    /// </summary>
    public IReadOnlyDictionary<string, string>? MemberKeyspace(string management, string member)
    {
        if (!Management.TryGetValue(management, out var cluster)) return null;
        lock (cluster.Api.SyncRoot)
        {
            var data = cluster.Volumes.GetValueOrDefault($"data-{member}")?.Member;
            return data is null ? null : Keys(data.Dataset).ToDictionary(kv => kv.Key, kv => kv.Value.ToJsonString(), StringComparer.Ordinal);
        }
    }

    internal long RevisionOf(EtcdDataset dataset) =>
        ReferenceEquals(dataset, Serving) && Guest is not null ? Guest.Cluster.Api.Revision : dataset.Revision;
}

/// <summary>The data of one etcd cluster (members of the same cluster share it).</summary>
internal sealed class EtcdDataset(ulong clusterId, SortedDictionary<string, JsonObject> objects, long revision)
{
    public ulong ClusterId { get; } = clusterId;
    public SortedDictionary<string, JsonObject> Objects { get; set; } = objects;
    public long Revision { get; set; } = revision;

    /// <summary>The seed's dataset: its keys are whatever the hosted API holds when it first serves.</summary>
    public bool Adopt { get; set; }
}

/// <summary>
/// A simulated S3 bucket: objects with their upload time, and presigned URLs that expire. Served over HTTP by
/// <see cref="LabCloudEndpoint"/>; a URL of that endpoint is fetched only with a valid SigV4 signature.
/// </summary>
public sealed class S3Bucket(string name)
{
    private readonly Dictionary<string, S3StoredObject> _objects = new(StringComparer.Ordinal);

    public string Name { get; } = name;

    internal SigV4Verifier? Verifier { get; init; }

    /// <summary>http://127.0.0.1:PORT/ of the endpoint serving this bucket, once it serves.</summary>
    public Uri? Endpoint { get; internal set; }

    public IReadOnlyCollection<string> Keys
    {
        get { lock (_objects) return _objects.Keys.Order(StringComparer.Ordinal).ToList(); }
    }

    public void Put(string key, string content, DateTimeOffset now) => Put(key, System.Text.Encoding.UTF8.GetBytes(content), now);

    /// <param name="keepSha256">The upload carried a SHA-256 checksum (verified): S3 keeps it and returns it on a HEAD with checksum mode.</param>
    public void Put(string key, byte[] content, DateTimeOffset now, bool keepSha256 = false)
    {
        var stored = new S3StoredObject(content.ToArray(), now, Convert.ToHexString(System.Security.Cryptography.MD5.HashData(content)).ToLowerInvariant(),
            keepSha256 ? Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(content)) : null);
        lock (_objects) _objects[key] = stored;
    }

    public string? Get(string key) => Find(key) is { } o ? System.Text.Encoding.UTF8.GetString(o.Content) : null;

    /// <summary>The stored object with its time and ETag (md5), or null.</summary>
    public S3StoredObject? Find(string key)
    {
        lock (_objects) return _objects.GetValueOrDefault(key);
    }

    internal void Clear()
    {
        lock (_objects) _objects.Clear();
    }

    /// <summary>`aws s3 presign s3://bucket/key --expires-in N` (default 3600 s): a URL valid from <paramref name="now"/>.</summary>
    public string Presign(string s3Url, DateTimeOffset now, TimeSpan? expiresIn = null)
    {
        var key = KeyOf(s3Url) ?? throw new ArgumentException($"{s3Url} is not an object of s3://{Name}", nameof(s3Url));
        var seconds = (long)(expiresIn ?? TimeSpan.FromHours(1)).TotalSeconds;
        var date = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var signature = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key + date + seconds))).ToLowerInvariant();
        return $"https://{Name}.s3.amazonaws.com/{key}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIALABEXAMPLE%2F{date[..8]}%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date={date}&X-Amz-Expires={seconds}&X-Amz-SignedHeaders=host&X-Amz-Signature={signature}";
    }

    /// <summary>The object key of an s3:// or https://bucket.s3.amazonaws.com/ URL of this bucket, else null.</summary>
    public string? KeyOf(string url)
    {
        var query = url.IndexOf('?');
        var bare = query < 0 ? url : url[..query];
        foreach (var prefix in new[] { $"s3://{Name}/", $"https://{Name}.s3.amazonaws.com/", $"https://s3.amazonaws.com/{Name}/" })
            if (bare.StartsWith(prefix, StringComparison.Ordinal)) return bare[prefix.Length..];
        if (EndpointPrefix is { } served && bare.StartsWith(served, StringComparison.Ordinal)) return Uri.UnescapeDataString(bare[served.Length..]);
        return null;
    }

    /// <summary>http://127.0.0.1:PORT/bucket/ (path-style) while the endpoint serves.</summary>
    private string? EndpointPrefix => Endpoint is { } e ? $"{e.GetLeftPart(UriPartial.Authority)}/{Name}/" : null;

    /// <summary>
    /// A URL of the served endpoint is judged as real S3 would judge it: its SigV4 query signature is verified for
    /// <paramref name="method"/> (null: accepted). Other URLs (the simulated https:// ones) are not the endpoint's: null.
    /// </summary>
    internal (int Status, string Body)? Refused(string url, string key, string method = "GET")
    {
        if (EndpointPrefix is not { } served || !url.StartsWith(served, StringComparison.Ordinal) || Verifier is null) return null;
        var uri = new Uri(url);
        var query = url.IndexOf('?');
        var rawPath = (query < 0 ? url : url[..query])[uri.GetLeftPart(UriPartial.Authority).Length..];
        var headers = new Dictionary<string, string>(StringComparer.Ordinal) { ["host"] = uri.Authority };
        var verdict = Verifier.Verify(method, rawPath, query < 0 ? "" : url[(query + 1)..], headers, "s3");
        return verdict.Accepted ? null : (403, LabCloudErrors.S3(verdict.Code!, verdict.Message!, "/" + Name + "/" + key));
    }

    /// <summary>
    /// What an HTTP GET of <paramref name="url"/> returns at <paramref name="now"/>: (200, object), or S3's XML error
    /// body (403 for an expired or unsigned URL, 404 for a missing key). An s3:// URL is fetched with credentials.
    /// </summary>
    public (int Status, string Body) Fetch(string url, DateTimeOffset now)
    {
        var key = KeyOf(url);
        if (key is null) return (404, Error("NoSuchBucket", "The specified bucket does not exist", url));
        if (Refused(url, key) is { } refused) return refused;
        if (url.StartsWith("https://", StringComparison.Ordinal))
        {
            var query = url.Contains('?') ? url[(url.IndexOf('?') + 1)..] : "";
            var parameters = query.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2)).Where(p => p.Length == 2)
                .ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]), StringComparer.Ordinal);
            if (!parameters.TryGetValue("X-Amz-Date", out var date) || !parameters.TryGetValue("X-Amz-Expires", out var expires))
                return (403, Error("AccessDenied", "Access Denied", key));
            var signed = DateTimeOffset.ParseExact(date, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
            var expiry = signed.AddSeconds(long.Parse(expires, CultureInfo.InvariantCulture));
            if (now > expiry)
                return (403, $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code><Message>Request has expired</Message><X-Amz-Expires>{expires}</X-Amz-Expires><Expires>{expiry.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}</Expires><ServerTime>{now.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}</ServerTime><RequestId>LAB0000000000001</RequestId><HostId>lab</HostId></Error>");
        }
        var content = Get(key);
        return content is null ? (404, Error("NoSuchKey", "The specified key does not exist.", key)) : (200, content);
    }

    private static string Error(string code, string message, string key) =>
        $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{message}</Message><Key>{key}</Key><RequestId>LAB0000000000001</RequestId><HostId>lab</HostId></Error>";
}

/// <summary>A stored S3 object: its bytes, upload time and ETag (hex md5, unquoted).</summary>
public sealed record S3StoredObject(byte[] Content, DateTimeOffset Modified, string ETag, string? ChecksumSha256 = null);

/// <summary>A Route53 hosted zone as external-dns keeps it: one CNAME per route host, owned by the management cluster that published it.</summary>
public sealed class Route53Zone(string domain)
{
    private readonly Dictionary<string, (string Target, string Owner)> _records = new(StringComparer.Ordinal);

    public string Domain { get; } = domain;

    /// <summary>The hosted zone's id, as in /2013-04-01/hostedzone/{id}/rrset.</summary>
    public string Id { get; } = "Z0LABHCP" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(domain)))[..12];

    public IReadOnlyDictionary<string, string> Records
    {
        get { lock (_records) return _records.ToDictionary(r => r.Key, r => r.Value.Target, StringComparer.Ordinal); }
    }

    public string? OwnerOf(string name)
    {
        lock (_records) return _records.TryGetValue(name, out var r) ? r.Owner : null;
    }

    /// <summary>external-dns publishes a record; a record another owner holds stays theirs (the TXT ownership check).</summary>
    internal bool Publish(string name, string target, string owner)
    {
        lock (_records)
        {
            if (_records.TryGetValue(name, out var existing) && existing.Owner != owner) return false;
            _records[name] = (target, owner);
            return true;
        }
    }

    internal void Withdraw(string name, string owner)
    {
        lock (_records)
        {
            if (_records.TryGetValue(name, out var existing) && existing.Owner == owner) _records.Remove(name);
        }
    }

    internal IReadOnlyList<string> OwnedBy(string owner)
    {
        lock (_records) return _records.Where(r => r.Value.Owner == owner).Select(r => r.Key).ToList();
    }

    internal void Clear()
    {
        lock (_records) _records.Clear();
    }
}
