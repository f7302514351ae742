using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RecoveryConsole.Audit;
using RecoveryConsole.Clusters.Inventory;
using RecoveryConsole.Clusters.Registration;
using RecoveryConsole.Orchestration;
using RecoveryConsole.Orchestration.Approvals;
using RecoveryConsole.Orchestration.Audit;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Clusters.Tests.Support;

/// <summary>
/// The console's cluster parts as the web app composes them (AddAuditStore, AddOrchestration, AddClusters) around a
/// temp data directory with its own SQLite file and Data Protection key ring, started as a host. Disposed: stopped and removed.
/// </summary>
public sealed class ClustersHost : IAsyncDisposable
{
    public static readonly Actor Olivia = new("olivia", [Roles.Operator]);
    public static readonly Actor Arjun = new("arjun", [Roles.Approver]);
    public static readonly Actor Vera = new("vera", [Roles.Viewer]);

    private readonly IHost _host;

    private ClustersHost(IHost host, string folder)
    {
        _host = host;
        Folder = folder;
    }

    public string Folder { get; }
    public string DatabasePath => Path.Combine(Folder, "console.db");
    public IServiceProvider Services => _host.Services;
    public T Get<T>() where T : notnull => _host.Services.GetRequiredService<T>();

    public ConsoleClusterRegistry Registry => Get<ConsoleClusterRegistry>();
    public ClusterRegistration Registration => Get<ClusterRegistration>();
    public HostKeyTrust Trust => Get<HostKeyTrust>();
    public ClusterConnectionTest ConnectionTest => Get<ClusterConnectionTest>();

    public static async Task<ClustersHost> StartAsync(bool lab = true)
    {
        // Short: ssh's control sockets live under it and a socket path has at most 108 bytes.
        var folder = Directory.CreateTempSubdirectory("rc-cl-").FullName;
        Directory.CreateDirectory(Path.Combine(folder, "procedures"));
        File.Copy(Path.Combine(AppContext.BaseDirectory, "procedures", "sample-drill.yaml"), Path.Combine(folder, "procedures", "sample-drill.yaml"));
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = folder, DisableDefaults = true });
        builder.Services.AddLogging();
        builder.Services.AddAuditStore(Path.Combine(folder, "console.db"));
        builder.Services.AddDataProtection().SetApplicationName("RecoveryConsole.Tests").PersistKeysToFileSystem(Directory.CreateDirectory(Path.Combine(folder, "keys")));
        builder.Services.AddOrchestration(folder, o => o.DefaultStepTimeout = TimeSpan.FromMinutes(1));
        builder.Services.AddClusters(Path.Combine(folder, "data"), lab, o => { o.TimeScale = 0.01; o.RolloutStepDelay = TimeSpan.FromSeconds(5); });
        var host = builder.Build();
        await host.Services.MigrateAuditStoreAsync(CancellationToken.None);
        await host.StartAsync();
        return new ClustersHost(host, folder);
    }

    public async Task<IReadOnlyList<AuditEvent>> AuditAsync(string kind) =>
        (await Get<IAuditLog>().ListAsync(null, CancellationToken.None)).Where(e => e.Kind == kind).ToList();

    /// <summary>Every value of one column of one table, read straight from the SQLite file (what a stolen copy would show).</summary>
    public async Task<IReadOnlyList<string>> ColumnAsync(string table, string column)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT \"{column}\" FROM \"{table}\"";
        var values = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) values.Add(reader.GetString(0));
        return values;
    }

    /// <summary>Every byte under the data directory (SSH keys, known_hosts) as text, to look for a secret on disk.</summary>
    public string DataFilesText() => string.Join("\n", Directory.EnumerateFiles(Path.Combine(Folder, "data"), "*", SearchOption.AllDirectories)
        .Where(f => !f.Contains("/run/", StringComparison.Ordinal))
        .Select(f => { try { return File.ReadAllText(f); } catch (IOException) { return ""; } }));

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>Requests and secrets for the tests.</summary>
public static class Requests
{
    public static IReadOnlyList<HostInfo> ThreeMasters(string address = "10.0.0.10") =>
    [
        new HostInfo("master-0", address, [HostRoles.ControlPlane]),
        new HostInfo("master-1", address == "10.0.0.10" ? "10.0.0.11" : address, [HostRoles.ControlPlane]),
        new HostInfo("master-2", address == "10.0.0.10" ? "10.0.0.12" : address, [HostRoles.ControlPlane]),
    ];

    public static ClusterRegistrationRequest Prod(string name = "prod-east", string? kubeconfig = null, string? key = null) => new()
    {
        Name = name,
        Version = "4.16.12",
        Hosts = ThreeMasters(),
        SshUser = "core",
        PrivateKey = key,
        Kubeconfigs = kubeconfig is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["cluster"] = kubeconfig },
    };

    public const string Token = "sha256~Zm9vYmFyLXRoaXMtaXMtYS1zZWNyZXQtdG9rZW4";

    /// <summary>A kubeconfig with a bearer token and a real (self-signed) CA; nothing listens at its server.</summary>
    public static string TokenKubeconfig(string server = "https://api.prod-east.example:6443", bool insecure = false)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=kube-apiserver-lb-signer", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5));
        var caData = Convert.ToBase64String(Encoding.ASCII.GetBytes(ca.ExportCertificatePem()));
        var tls = insecure ? "    insecure-skip-tls-verify: true" : $"    certificate-authority-data: {caData}";
        return $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: prod-east
              cluster:
                server: {server}
            {tls}
            users:
            - name: admin
              user:
                token: {Token}
            contexts:
            - name: admin
              context:
                cluster: prod-east
                user: admin
            - name: other
              context:
                cluster: prod-east
                user: admin
                namespace: openshift-etcd
            current-context: admin
            """;
    }

    /// <summary>A line of the key's body that is its own (the first lines are the same header for every key of a type).</summary>
    public static string KeyLine(string privateKey) => privateKey.Split('\n')[3];

    /// <summary>A fresh ed25519 private key (OpenSSH format), optionally with a passphrase.</summary>
    public static string NewPrivateKey(string? passphrase = null)
    {
        var folder = Directory.CreateTempSubdirectory("rc-key-").FullName;
        try
        {
            var path = Path.Combine(folder, "id");
            var info = new ProcessStartInfo("ssh-keygen") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { "-q", "-t", "ed25519", "-N", passphrase ?? "", "-C", "test", "-f", path }) info.ArgumentList.Add(a);
            using var p = Process.Start(info)!;
            p.WaitForExit();
            Assert.Equal(0, p.ExitCode);
            return File.ReadAllText(path);
        }
        finally { Directory.Delete(folder, true); }
    }
}
