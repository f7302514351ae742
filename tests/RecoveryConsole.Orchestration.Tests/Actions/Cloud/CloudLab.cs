using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using RecoveryConsole.Lab;
using RecoveryConsole.Lab.Cloud;
using RecoveryConsole.Lab.Clusters;
using RecoveryConsole.Lab.Hosted;
using RecoveryConsole.Orchestration.Actions;
using RecoveryConsole.Orchestration.Artifacts;
using RecoveryConsole.Orchestration.Clusters;
using RecoveryConsole.Orchestration.Transcript;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Tests.Actions.Cloud;

/// <summary>
/// The hosted estate's lab with its AWS account served on 127.0.0.1 (SigV4-verifying), on a virtual clock that starts at
/// the real time (AWSSDK signs with the machine's clock), a real artifact store in a temp folder, and a way to run one
/// cloud action as the engine would, with lab-mgmt-a's cloud account.
/// </summary>
internal sealed class CloudLab : IAsyncDisposable
{
    public const string Cluster = "lab-mgmt-a";

    private CloudLab(VirtualTimeProvider time, LabClusterRegistry lab, LabCloudEndpoint endpoint, string folder)
    {
        Time = time;
        Lab = lab;
        Endpoint = endpoint;
        Folder = folder;
        Artifacts = new FileArtifactStore(Path.Combine(folder, "artifacts"), time);
        Account = new CloudAccount(Estate.Credentials.AccessKeyId, Estate.Credentials.SecretAccessKey, LabCloudCredentials.Region, endpoint.Address, Estate.Route53.Id);
    }

    public VirtualTimeProvider Time { get; }
    public LabClusterRegistry Lab { get; }
    public LabCloudEndpoint Endpoint { get; }
    public HostedEstate Estate => Endpoint.Estate;
    public string Folder { get; }
    public FileArtifactStore Artifacts { get; }
    public CloudAccount Account { get; }
    public Redactor Redactor { get; } = new();
    public Guid RunId { get; } = Guid.NewGuid();

    public static async Task<CloudLab> StartAsync()
    {
        var time = new VirtualTimeProvider(DateTimeOffset.UtcNow);
        var lab = new LabClusterRegistry(new LabOptions { TimeScale = 1.0 }, time, LabClusterCatalog.HostedControlPlanes());
        var endpoint = await LabCloudEndpoint.StartAsync(HostedEstate.Of(lab.FindLab(Cluster)!));
        var folder = Path.Combine(Path.GetTempPath(), "rc-cloud-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(folder);
        return new CloudLab(time, lab, endpoint, folder);
    }

    /// <summary>Runs <paramref name="action"/> on lab-mgmt-a with <paramref name="account"/> (default: the estate's).</summary>
    public async Task<ActionRun> RunAsync(IStepAction action, Dictionary<string, string> arguments, CloudAccount? account = null, bool noAccount = false,
        Action<string>? onLine = null)
    {
        var output = new Lines(onLine);
        var connection = Lab.Find(Cluster)!;
        var context = new ActionContext(connection.Api, arguments, output, Time, null)
        {
            RunId = RunId,
            Cluster = connection.Info,
            Artifacts = Artifacts,
            Cloud = noAccount ? null : account ?? Account,
            LearnSecret = Redactor.AddSecret,
        };
        await action.ExecuteAsync(context, CancellationToken.None);
        return new ActionRun(context, output.All);
    }

    /// <summary>The account with its secret changed in its last character.</summary>
    public CloudAccount WrongSecret() => Account with { SecretAccessKey = Account.SecretAccessKey[..^1] + (Account.SecretAccessKey[^1] == 'x' ? "y" : "x") };

    /// <summary>A 127.0.0.1 port nothing listens on (bound, then released).</summary>
    public static Uri ClosedEndpoint()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/");
    }

    public async ValueTask DisposeAsync()
    {
        await Endpoint.DisposeAsync();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }

    internal sealed record ActionRun(ActionContext Context, IReadOnlyList<string> Lines)
    {
        public string Output(string name) => Context.Produced[name]!.ToString();
    }

    private sealed class Lines(Action<string>? onLine) : IOutputSink
    {
        private readonly ConcurrentQueue<string> _lines = new();
        public IReadOnlyList<string> All => [.. _lines];

        public void Line(OutputStream stream, string text)
        {
            _lines.Enqueue(text);
            onLine?.Invoke(text);
        }
    }
}
