using System.Globalization;

namespace RecoveryConsole.Lab.Ocp4;

/// <summary>
/// What differs between OCP 4.x z-streams as far as the recovery tools are concerned: the shape of
/// cluster-restore.sh, the etcd and Kubernetes versions, and the columns crictl prints.
/// </summary>
public sealed record Ocp4Release
{
    public Ocp4Release(string version)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        var parts = version.Split('.');
        if (parts.Length < 2 || parts[0] != "4" || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor))
            throw new ArgumentException($"'{version}' is not an OpenShift 4.x version.", nameof(version));
        Version = version;
        Minor = minor;
    }

    /// <summary>The z-stream, e.g. 4.16.12: a backup restores only onto the same one.</summary>
    public string Version { get; }

    public int Minor { get; }

    public string MinorVersion => "4." + Minor.ToString(CultureInfo.InvariantCulture);

    public static bool IsOcp4(string? version) =>
        version is { } v && v.StartsWith("4.", StringComparison.Ordinal) && v.Split('.') is [_, var m, ..]
        && int.TryParse(m, NumberStyles.None, CultureInfo.InvariantCulture, out _);

    /// <summary>The oldest minor the model simulates: the document's procedure (cluster-etcd-operator scripts, OVN interconnect).</summary>
    public const int MinimumModelledMinor = 12;

    /// <summary>True for the 4.x versions <see cref="Ocp4Cluster"/> simulates (4.12 and later).</summary>
    public static bool IsModelled(string? version) => IsOcp4(version) && new Ocp4Release(version!).Minor >= MinimumModelledMinor;

    /// <summary>4.18+: cluster-restore.sh stops and restarts only etcd; before, also the other three control-plane pods.</summary>
    public bool RestoreStopsOnlyEtcd => Minor >= 18;

    /// <summary>cri-tools 1.32 (OCP 4.19) added the NAMESPACE column to <c>crictl ps</c>.</summary>
    public bool CrictlShowsNamespace => Minor >= 19;

    public string EtcdVersion => Minor switch
    {
        <= 12 => "3.5.6",
        13 => "3.5.9",
        14 => "3.5.10",
        15 => "3.5.13",
        16 => "3.5.14",
        17 => "3.5.16",
        18 => "3.5.18",
        _ => "3.5.21",
    };

    /// <summary>Kubernetes minor of the release: 4.16 ships 1.29.</summary>
    public string KubernetesVersion => "1." + (Minor + 13).ToString(CultureInfo.InvariantCulture);

    public string KubeletVersion => $"v{KubernetesVersion}.{(Minor % 5) + 3}";

    public string CrioVersion => $"cri-o://{KubernetesVersion}.{(Minor % 7) + 4}-3.rhaos{MinorVersion}.git1a2b3c4.el9";
}
