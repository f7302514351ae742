using System.Text.RegularExpressions;

namespace RecoveryConsole.Lab.Legacy.Ocp42;

/// <summary>
/// The release payload a 4.2/4.3 lab host can read from quay.io: <c>oc adm release info RELEASE --image-for=NAME</c>
/// (<see cref="Ocp42Oc"/>) answers a component's pull spec, and podman pulls and runs only images of the payload. So a mistyped release image
/// or a wrong cluster-kube-apiserver-operator image fails on the host as it would on a real one, before anything changed.
/// </summary>
public static partial class Ocp42Release
{
    private const string ArtDev = "quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:";

    /// <summary>Components of the payload (by the tag name <c>--image-for</c> takes) and their pull specs.</summary>
    public static readonly IReadOnlyDictionary<string, string> Components = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["cluster-kube-apiserver-operator"] = Digest("cluster-kube-apiserver-operator"),
        ["etcd"] = Digest("etcd"),
        ["kube-etcd-signer-server"] = Digest("kube-etcd-signer-server"),
        ["machine-config-operator"] = Digest("machine-config-operator"),
        ["kube-client-agent"] = Digest("kube-client-agent"),
    };

    /// <summary>A pull spec by digest, as a release payload names its images (64 hex digits, fixed per component).</summary>
    private static string Digest(string component) =>
        ArtDev + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("lab-ocp42 " + component))).ToLowerInvariant();

    /// <summary>The operator binary podman's --entrypoint names; only the KAO image carries it.</summary>
    public const string KaoEntrypoint = "/usr/bin/cluster-kube-apiserver-operator";

    [GeneratedRegex(@"^quay\.io/openshift-release-dev/ocp-release:4\.[23]\.\d+-x86_64$")]
    private static partial Regex ReleaseImage();

    public static bool IsRelease(string image) => ReleaseImage().IsMatch(image);

    public static bool IsPayloadImage(string image) => Components.Values.Contains(image, StringComparer.Ordinal);

    /// <summary>podman run's image: the first word after <c>run</c> that is neither an option nor an option's value.</summary>
    public static string? ImageOf(IReadOnlyList<string> args)
    {
        string[] valued = ["-v", "--volume", "--network", "--net", "--entrypoint", "--name", "-e", "--env", "--authfile"];
        for (var i = 1; i < args.Count; i++)
        {
            if (valued.Contains(args[i], StringComparer.Ordinal)) { i++; continue; }
            if (!args[i].StartsWith('-')) return args[i];
        }
        return null;
    }

    /// <summary>podman pull's refusal of an image quay.io does not have (exit 125), as podman prints it.</summary>
    public static string? PullRefusal(string image) => IsPayloadImage(image) ? null
        : $"Error: error pulling image \"{image}\": unable to pull {image}: unable to pull image: Error initializing source docker://{image}: " +
          $"Error reading manifest {image[(image.LastIndexOfAny(['@', ':']) + 1)..]} in {Repository(image)}: manifest unknown: manifest unknown";

    /// <summary>
    /// Why podman run cannot start the operator from <paramref name="image"/>: not pullable (125), or an image of the payload
    /// without the cluster-kube-apiserver-operator binary (127, the OCI runtime's message). Null when it starts.
    /// </summary>
    public static (int Exit, string Message)? RunRefusal(string? image)
    {
        if (image is null) return (125, "Error: an image name is required");
        if (PullRefusal(image) is { } pull) return (125, pull);
        if (image != Components["cluster-kube-apiserver-operator"])
            return (127, $"Error: container_linux.go:349: starting container process caused \"exec: \\\"{KaoEntrypoint}\\\": stat {KaoEntrypoint}: " +
                         "no such file or directory\": OCI runtime command not found error");
        return null;
    }

    private static string Repository(string image)
    {
        var at = image.IndexOf('@', StringComparison.Ordinal);
        if (at > 0) return image[..at];
        var colon = image.LastIndexOf(':');
        return colon > image.LastIndexOf('/') ? image[..colon] : image;
    }
}
