using System.Text.Json;
using System.Text.Json.Nodes;

namespace RecoveryConsole.Lab.Ocp4.Etcd;

/// <summary>
/// The lab's stand-in for <c>static_kuberesources_&lt;ts&gt;.tar.gz</c>: the static-pod-resources directories of the
/// backup (paths relative to /etc/kubernetes, as cluster-backup.sh tars them) and the z-stream they belong to.
/// </summary>
internal sealed record BackupArchive(SortedDictionary<string, string> Entries, string OpenShiftVersion)
{
    public const string Header = "# RecoveryConsole lab archive (stands in for a gzipped tar of /etc/kubernetes/static-pod-resources)";

    public string ToText()
    {
        var entries = new JsonObject();
        foreach (var (path, content) in Entries) entries[path] = content;
        return Header + "\n" + new JsonObject { ["format"] = 1, ["openshiftVersion"] = OpenShiftVersion, ["entries"] = entries }.ToJsonString() + "\n";
    }

    public static BackupArchive? Parse(string? text)
    {
        if (text is null || !text.StartsWith(Header, StringComparison.Ordinal)) return null;
        try
        {
            var root = JsonNode.Parse(text[Header.Length..]);
            if (root?["entries"] is not JsonObject entries) return null;
            var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var (path, value) in entries) result[path] = (string?)value ?? "";
            return new BackupArchive(result, (string?)root["openshiftVersion"] ?? "");
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// The same backup taken on another z-stream: the recorded version and every revision's
    /// <c>configmaps/&lt;resource&gt;-pod/version</c> (what the installer of that release wrote) say so.
    /// </summary>
    public BackupArchive WithOpenShiftVersion(string version)
    {
        var entries = new SortedDictionary<string, string>(Entries, StringComparer.Ordinal);
        foreach (var path in Entries.Keys.Where(IsVersionFile)) entries[path] = version;
        return new BackupArchive(entries, version);
    }

    private static bool IsVersionFile(string path)
    {
        var parts = path.Split('/');
        return parts is ["static-pod-resources", var dir, "configmaps", var configmap, "version"]
               && dir.Contains("-pod-", StringComparison.Ordinal) && configmap == dir[..dir.LastIndexOf("-pod-", StringComparison.Ordinal)] + "-pod";
    }

    /// <summary>Members as <c>tar -tvf</c> lists them: directories (with a trailing slash) then files, sorted.</summary>
    public IEnumerable<string> Members()
    {
        var directories = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var path in Entries.Keys)
        {
            var parts = path.Split('/');
            for (var i = 1; i < parts.Length; i++) directories.Add(string.Join('/', parts.Take(i)) + "/");
        }
        return directories.Concat(Entries.Keys).Order(StringComparer.Ordinal);
    }
}
