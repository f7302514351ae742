using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace RecoveryConsole.Benchmarks.Support;

/// <summary>
/// Many hosts over real sshd on loopback: addresses 127.0.1.1 .. 127.0.1.N on one port (Linux routes all of 127/8 to lo).
/// sshd listens on at most 16 addresses, so one sshd serves each group of <see cref="HostsPerServer"/> addresses, with
/// OpenSSH's defaults otherwise (MaxStartups 10:30:100, MaxSessions 10): a group gets no more concurrent logins than
/// sshd accepts without dropping, as a real host that sees one console login gets. One host key and one client key for all;
/// known_hosts lists every address. Sessions start with SHLVL=1, so the login user's bash does not read ~/.bashrc (here
/// root's runs <c>pyenv init</c>, whose rehash lock kept 50 shells started at once waiting up to 60 s: this machine's
/// shell start-up, not the console). Stopped and removed on dispose.
/// </summary>
public sealed class LoopbackSshHosts : IDisposable
{
    public const string User = "root";
    public const int HostsPerServer = 10;
    private readonly List<Process> _servers = [];

    private LoopbackSshHosts(string directory, int port, IReadOnlyList<string> addresses)
    {
        Directory = directory;
        Port = port;
        Addresses = addresses;
    }

    public string Directory { get; }
    public int Port { get; }
    public IReadOnlyList<string> Addresses { get; }
    public string ClientKeyPath => Path.Combine(Directory, "client");
    public string KnownHostsPath => Path.Combine(Directory, "known_hosts");
    public int Servers => _servers.Count;

    public static LoopbackSshHosts Start(int hosts)
    {
        const string sshd = "/usr/sbin/sshd";
        if (!File.Exists(sshd)) throw new InvalidOperationException($"{sshd} is missing (apt-get install openssh-server openssh-client).");
        var directory = System.IO.Directory.CreateTempSubdirectory("rc-ssh-hosts-").FullName;
        System.IO.Directory.CreateDirectory("/run/sshd"); // privilege separation directory sshd insists on
        foreach (var key in new[] { "host_ed25519", "client" })
            Run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", key, "-f", Path.Combine(directory, key));
        File.Copy(Path.Combine(directory, "client.pub"), Path.Combine(directory, "authorized_keys"));
        var addresses = Enumerable.Range(1, hosts).Select(i => $"127.0.{1 + (i - 1) / 250}.{(i - 1) % 250 + 1}").ToList();
        var port = FreePort();
        var hostKey = string.Join(' ', File.ReadAllText(Path.Combine(directory, "host_ed25519.pub")).Split(' ').Take(2)).Trim();
        File.WriteAllLines(Path.Combine(directory, "known_hosts"), addresses.Select(a => $"[{a}]:{port.ToString(CultureInfo.InvariantCulture)} {hostKey}"));
        var result = new LoopbackSshHosts(directory, port, addresses);
        try
        {
            foreach (var (group, index) in addresses.Chunk(HostsPerServer).Select((g, i) => (g, i)))
            {
                var config = Path.Combine(directory, $"sshd_config-{index}");
                File.WriteAllText(config, string.Join('\n', group.Select(a => $"ListenAddress {a}:{port}")) + $"""

                    HostKey {directory}/host_ed25519
                    PidFile {directory}/sshd-{index}.pid
                    AuthorizedKeysFile {directory}/authorized_keys
                    UsePAM no
                    StrictModes no
                    PermitRootLogin prohibit-password
                    PubkeyAuthentication yes
                    PasswordAuthentication no
                    KbdInteractiveAuthentication no
                    SetEnv SHLVL=1

                    """);
                var info = new ProcessStartInfo(sshd) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
                foreach (var a in new[] { "-f", config, "-D", "-e" }) info.ArgumentList.Add(a);
                var process = Process.Start(info)!;
                process.ErrorDataReceived += (_, _) => { };
                process.BeginErrorReadLine();
                result._servers.Add(process);
                WaitUntilListening(process, group[0], port);
            }
            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var process in _servers)
        {
            try
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }
            catch (InvalidOperationException) { }
            process.Dispose();
        }
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }

    private static void WaitUntilListening(Process process, string address, int port)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"sshd for {address} exited with {process.ExitCode}");
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Parse(address), port);
                return;
            }
            catch (SocketException) when (clock.Elapsed < TimeSpan.FromSeconds(30))
            {
                Thread.Sleep(50);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var stderr = p.StandardError.ReadToEnd();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({p.ExitCode}): {stderr}");
    }
}
