using System.Diagnostics;
using System.Globalization;

namespace RecoveryConsole.Transports.Ssh.Tests.Fixtures;

/// <summary>Real etcd members (Debian's etcd-server 3.4) on loopback ports, data in a temp folder; stopped and removed on dispose.</summary>
public sealed class EtcdCluster : IDisposable
{
    public const string EtcdPath = "/usr/bin/etcd";
    private readonly List<Member> _members = [];

    public sealed record Member(string Name, int ClientPort, int PeerPort, string DataDir, Process Process, System.Text.StringBuilder Log)
    {
        public string LastLog { get { lock (Log) return string.Join('\n', Log.ToString().Split('\n').TakeLast(10)); } }

        public string ClientUrl => $"http://127.0.0.1:{ClientPort.ToString(CultureInfo.InvariantCulture)}";
        public string PeerUrl => $"http://127.0.0.1:{PeerPort.ToString(CultureInfo.InvariantCulture)}";
    }

    private EtcdCluster(string directory) => Directory = directory;

    public string Directory { get; }
    public IReadOnlyList<Member> Members => _members;
    public string Endpoints => string.Join(',', _members.Select(m => m.ClientUrl));

    /// <summary>A new cluster of <paramref name="size"/> members, healthy when this returns; <paramref name="extraArgs"/> go to every member (e.g. --enable-v2).</summary>
    public static async Task<EtcdCluster> StartAsync(int size, string token, IReadOnlyList<string>? extraArgs = null)
    {
        if (!File.Exists(EtcdPath))
            throw new InvalidOperationException($"{EtcdPath} is missing. Run the README's test command (bash tests/run.sh --filter Category=Etcd), which installs etcd-server and etcd-client.");
        var cluster = new EtcdCluster(System.IO.Directory.CreateTempSubdirectory("rc-etcd-").FullName);
        var plan = Enumerable.Range(1, size).Select(i => (Name: $"m{i}", Client: SshdServer.FreePort(), Peer: SshdServer.FreePort())).ToList();
        var initial = string.Join(',', plan.Select(p => $"{p.Name}=http://127.0.0.1:{p.Peer}"));
        try
        {
            foreach (var (name, client, peer) in plan)
                cluster._members.Add(cluster.Launch(name, client, peer, Path.Combine(cluster.Directory, name), initial, token, extraArgs));
            await WaitHealthyAsync(cluster._members);
            return cluster;
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    /// <summary>Starts one member on an existing (restored) data directory.</summary>
    public async Task<Member> StartRestoredAsync(string name, string dataDir, int peerPort)
    {
        var member = Launch(name, SshdServer.FreePort(), peerPort, dataDir, $"{name}=http://127.0.0.1:{peerPort}", "restored");
        _members.Add(member);
        await WaitHealthyAsync([member]);
        return member;
    }

    private Member Launch(string name, int client, int peer, string dataDir, string initialCluster, string token, IReadOnlyList<string>? extraArgs = null)
    {
        var info = new ProcessStartInfo(EtcdPath) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[]
                 {
                     "--name", name, "--data-dir", dataDir,
                     "--listen-client-urls", $"http://127.0.0.1:{client}", "--advertise-client-urls", $"http://127.0.0.1:{client}",
                     "--listen-peer-urls", $"http://127.0.0.1:{peer}", "--initial-advertise-peer-urls", $"http://127.0.0.1:{peer}",
                     "--initial-cluster", initialCluster, "--initial-cluster-token", token, "--initial-cluster-state", "new",
                 })
            info.ArgumentList.Add(a);
        foreach (var a in extraArgs ?? []) info.ArgumentList.Add(a);
        var process = Process.Start(info)!;
        var log = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) { if (log.Length < 20_000) log.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new Member(name, client, peer, dataDir, process, log);
    }

    /// <summary>Until each member answers /health with a leader (after a start, or after another member was killed: an election).</summary>
    public static async Task WaitHealthyAsync(IEnumerable<Member> members)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        foreach (var member in members)
        {
            while (true)
            {
                if (member.Process.HasExited) throw new InvalidOperationException($"etcd member {member.Name} exited with {member.Process.ExitCode}: {member.LastLog}");
                try
                {
                    var body = await http.GetStringAsync(member.ClientUrl + "/health");
                    if (body.Contains("\"health\":\"true\"", StringComparison.Ordinal)) break;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
                if (clock.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException($"etcd member {member.Name} did not become healthy.");
                await Task.Delay(100);
            }
        }
    }

    public void Dispose()
    {
        foreach (var member in _members)
        {
            try
            {
                if (!member.Process.HasExited) member.Process.Kill(entireProcessTree: true);
                member.Process.WaitForExit();
            }
            catch (InvalidOperationException) { }
            member.Process.Dispose();
        }
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}
