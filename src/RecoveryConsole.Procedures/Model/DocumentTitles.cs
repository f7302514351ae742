namespace RecoveryConsole.Procedures.Model;

/// <summary>
/// The source documents by title: a procedure cites its document by file name (stable, unambiguous), while operators
/// know the chapter by its title. Unknown files are shown by name.
/// </summary>
public static class DocumentTitles
{
    private static readonly Dictionary<string, string> Titles = new(StringComparer.OrdinalIgnoreCase)
    {
        ["000_fa5c83705aa298d9.txt"] = "OpenShift Container Platform 4: 5.3 Disaster recovery",
        ["001_a269d515094e3629.txt"] = "OpenShift Container Platform 3.11: 5.2 Master host tasks",
        ["002_dc66a8ea9facaa02.txt"] = "Hosted control planes: 8.6 Disaster recovery for a hosted cluster on AWS",
        ["003_28eb1c421f859d40.txt"] = "OpenShift Container Platform 4.2 and 4.3: Chapter 3 Disaster recovery",
        ["004_76627d8e46f61c97.txt"] = "Hosted control planes: 8.3 Backing up and restoring etcd on premises",
    };

    public static string Of(string document) => Titles.GetValueOrDefault(document.Trim(), document);

    /// <summary>"TITLE, section S": how the UI cites a source.</summary>
    public static string Cite(string document, string section) => $"{Of(document)}, section {section}";
}
