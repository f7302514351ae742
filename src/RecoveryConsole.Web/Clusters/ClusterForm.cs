using RecoveryConsole.Clusters.Registration;
using RecoveryConsole.Orchestration.Clusters;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Web.Clusters;

/// <summary>
/// The registration form's state in one circuit. Secrets (a new key, its passphrase, new kubeconfigs) live here only
/// between typing and saving: <see cref="ForgetSecrets"/> drops them after every save attempt that succeeded, and the
/// page never renders them back (see SecretTextArea).
/// </summary>
public sealed class ClusterForm
{
    public string Name { get; set; } = "";
    public string Product { get; set; } = "openshift";
    public string Version { get; set; } = "";
    public List<HostRow> Hosts { get; set; } = [];
    public string SshUser { get; set; } = "core";
    public int SshPort { get; set; } = 22;
    public string JumpHost { get; set; } = "";
    public string? PrivateKey { get; set; }
    public string? PrivateKeySource { get; set; }
    public string? KeyPassphrase { get; set; }
    /// <summary>Show the roles of hosted control planes (HyperShift): the management clusters and the hosted cluster.</summary>
    public bool HostedControlPlanes { get; set; }
    /// <summary>The AWS account of cloud steps: all empty means none (or keep the stored one).</summary>
    public string CloudAccessKeyId { get; set; } = "";
    /// <summary>A new secret access key; empty keeps the stored one. Never filled from the store.</summary>
    public string? CloudSecret { get; set; }
    public string CloudRegion { get; set; } = "us-east-1";
    public string CloudHostedZoneId { get; set; } = "";
    public string CloudEndpoint { get; set; } = "";
    /// <summary>Forget the stored account on save.</summary>
    public bool RemoveCloud { get; set; }
    public Dictionary<string, KubeconfigDraft> Kubeconfigs { get; } = ApiRoles.All.ToDictionary(r => r, r => new KubeconfigDraft(r));

    /// <summary>Bumped whenever secrets are forgotten: secret inputs are keyed on it, so the browser's copy goes too.</summary>
    public int SecretGeneration { get; private set; }

    public IEnumerable<string> VisibleRoles => HostedControlPlanes ? ApiRoles.All : [ApiRoles.Cluster];

    /// <summary>Only what the operator can see is saved: a draft of a hidden role is neither stored nor deleted.</summary>
    private IEnumerable<KubeconfigDraft> Visible => VisibleRoles.Select(r => Kubeconfigs[r]);

    public static ClusterForm New() => new()
    {
        Hosts = [new HostRow { Name = "master-0", ControlPlane = true }, new HostRow { Name = "master-1", ControlPlane = true }, new HostRow { Name = "master-2", ControlPlane = true }],
    };

    public static ClusterForm From(ClusterDefinition d) => new()
    {
        Name = d.Name,
        Product = d.Product,
        Version = d.Version,
        Hosts = d.Hosts.Select(h => new HostRow
        {
            Name = h.Name, Address = h.Address, ControlPlane = h.Roles.Contains(HostRoles.ControlPlane), Worker = h.Roles.Contains(HostRoles.Worker),
        }).ToList(),
        SshUser = d.Ssh.User,
        SshPort = d.Ssh.Port,
        JumpHost = d.Ssh.JumpHost ?? "",
        HostedControlPlanes = d.Apis.Any(a => a.Role != ApiRoles.Cluster),
        CloudAccessKeyId = d.Cloud?.AccessKeyId ?? "",
        CloudRegion = d.Cloud?.Region ?? "us-east-1",
        CloudHostedZoneId = d.Cloud?.HostedZoneId ?? "",
        CloudEndpoint = d.Cloud?.Endpoint ?? "",
    };

    public ClusterRegistrationRequest ToRequest(bool isNew) => new()
    {
        Name = Name.Trim(),
        IsNew = isNew,
        Product = Product.Trim(),
        Version = Version.Trim(),
        Hosts = Hosts.Select(h => h.ToHost()).ToList(),
        SshUser = SshUser.Trim(),
        SshPort = SshPort,
        JumpHost = string.IsNullOrWhiteSpace(JumpHost) ? null : JumpHost.Trim(),
        PrivateKey = string.IsNullOrWhiteSpace(PrivateKey) ? null : PrivateKey,
        KeyPassphrase = string.IsNullOrEmpty(KeyPassphrase) ? null : KeyPassphrase,
        Kubeconfigs = Visible.Where(k => k.HasText && !k.Remove).ToDictionary(k => k.Role, k => k.Text!),
        Contexts = Visible.Where(k => k.HasText && !k.Remove && k.Context is { Length: > 0 }).ToDictionary(k => k.Role, k => k.Context!),
        RemoveKubeconfigs = Visible.Where(k => k.Remove).Select(k => k.Role).ToList(),
        RemoveCloud = RemoveCloud,
        Cloud = RemoveCloud || string.IsNullOrWhiteSpace(CloudAccessKeyId) ? null : new CloudAccountRequest
        {
            AccessKeyId = CloudAccessKeyId.Trim(),
            SecretAccessKey = string.IsNullOrWhiteSpace(CloudSecret) ? null : CloudSecret.Trim(),
            Region = CloudRegion.Trim(),
            HostedZoneId = string.IsNullOrWhiteSpace(CloudHostedZoneId) ? null : CloudHostedZoneId.Trim(),
            Endpoint = string.IsNullOrWhiteSpace(CloudEndpoint) ? null : CloudEndpoint.Trim(),
        },
    };

    public void ForgetSecrets()
    {
        PrivateKey = null;
        PrivateKeySource = null;
        KeyPassphrase = null;
        CloudSecret = null;
        RemoveCloud = false;
        foreach (var k in Kubeconfigs.Values) k.Forget();
        SecretGeneration++;
    }
}

/// <summary>One row of the hosts table.</summary>
public sealed class HostRow
{
    public string Name { get; set; } = "";
    public string Address { get; set; } = "";
    public bool ControlPlane { get; set; }
    public bool Worker { get; set; }

    public HostInfo ToHost() => new(Name.Trim(), Address.Trim(),
        new[] { (ControlPlane, HostRoles.ControlPlane), (Worker, HostRoles.Worker) }.Where(r => r.Item1).Select(r => r.Item2).ToList());
}

/// <summary>A kubeconfig being entered for one role: its text (a secret), where it came from, the chosen context, and what it resolves to.</summary>
public sealed class KubeconfigDraft(string role)
{
    public string Role { get; } = role;
    public string? Text { get; private set; }
    public string? Source { get; private set; }
    public string? Context { get; private set; }
    public KubeconfigInspectionResult? Inspection { get; private set; }
    /// <summary>Delete the stored kubeconfig of this role on save.</summary>
    public bool Remove { get; set; }

    public bool HasText => !string.IsNullOrWhiteSpace(Text);

    public void SetText(string? text, string? source)
    {
        Text = string.IsNullOrWhiteSpace(text) ? null : text;
        Source = Text is null ? null : source;
        Context = null;
        Inspect();
    }

    public void SetContext(string? context)
    {
        Context = string.IsNullOrEmpty(context) ? null : context;
        Inspect();
    }

    public void Forget()
    {
        Text = null;
        Source = null;
        Context = null;
        Inspection = null;
        Remove = false;
    }

    private void Inspect()
    {
        Inspection = Text is null ? null : KubeconfigInspection.Inspect(Text, Context, $"for the {Role} role");
        if (Context is null && Inspection?.Context is { } resolved) Context = resolved;
    }
}
