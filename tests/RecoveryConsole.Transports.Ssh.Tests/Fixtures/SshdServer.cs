using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace RecoveryConsole.Transports.Ssh.Tests.Fixtures;

/// <summary>
/// A real OpenSSH server of our own on 127.0.0.1 at a free port: its config, host keys, authorized_keys and a small
/// bin directory (first on the session's PATH) live in a temp folder, and it is stopped and removed on dispose.
/// Installs nothing; shared with the benchmark (linked source), so it depends on nothing but the BCL.
/// </summary>
public sealed class SshdServer : IDisposable
{
    public const string SshdPath = "/usr/sbin/sshd";
    public const string User = "root";
    public const string Passphrase = "correct horse battery staple";

    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private SshdServer(string directory, int port, Process process)
    {
        Directory = directory;
        Port = port;
        _process = process;
    }

    public string Directory { get; }
    public int Port { get; }
    public string BinDirectory => Path.Combine(Directory, "bin");

    /// <summary>The key the server presents, as "type base64".</summary>
    public string HostKey => PublicKeyOf("host_ed25519");
    /// <summary>A second key the server never presents: trusting it simulates a changed host.</summary>
    public string OtherHostKey => PublicKeyOf("other_host_ed25519");
    public string ClientKeyPath => Path.Combine(Directory, "client");
    public string PassphraseKeyPath => Path.Combine(Directory, "client_passphrase");
    /// <summary>A valid key that is not in authorized_keys.</summary>
    public string WrongKeyPath => Path.Combine(Directory, "wrong");
    public string KnownHostsName => $"[127.0.0.1]:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The host's sudo (a test double in <see cref="BinDirectory"/>) asks for a password while this is true.</summary>
    public bool SudoRequiresPassword
    {
        get => File.Exists(Path.Combine(Directory, "sudo-requires-password"));
        set => Toggle("sudo-requires-password", value);
    }

    /// <summary>
    /// The commands the host's sudo ran, one line each. The test sshd logs in as root, so a root-only file is readable
    /// with or without sudo: this log is how a test tells that sudo was really used.
    /// </summary>
    public IReadOnlyList<string> SudoLog
    {
        get
        {
            var path = Path.Combine(Directory, "sudo.log");
            return File.Exists(path) ? File.ReadAllLines(path) : [];
        }
    }

    /// <summary>The host's sha256sum reports a wrong hash while this is true (to prove transfers check it).</summary>
    public bool CorruptChecksums
    {
        get => File.Exists(Path.Combine(Directory, "corrupt-checksums"));
        set => Toggle("corrupt-checksums", value);
    }

    /// <param name="maxStartups">sshd's MaxStartups: how many unauthenticated connections it keeps before dropping new ones.</param>
    /// <param name="moreAddresses">Loopback addresses it listens on besides 127.0.0.1 (sshd takes at most 16 in all), same port.</param>
    public static SshdServer Start(string maxStartups = "100:30:200", IReadOnlyList<string>? moreAddresses = null)
    {
        if (!File.Exists(SshdPath))
            throw new InvalidOperationException(
                $"{SshdPath} is missing. Run the README's test command (bash tests/run.sh --filter Category=Ssh), which installs openssh-server and openssh-client.");
        var directory = System.IO.Directory.CreateTempSubdirectory("rc-sshd-").FullName;
        System.IO.Directory.CreateDirectory("/run/sshd"); // privilege separation directory sshd insists on
        foreach (var key in new[] { "host_ed25519", "other_host_ed25519", "client", "wrong" })
            Run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", key, "-f", Path.Combine(directory, key));
        Run("ssh-keygen", "-q", "-t", "ed25519", "-N", Passphrase, "-C", "client_passphrase", "-f", Path.Combine(directory, "client_passphrase"));
        File.WriteAllText(Path.Combine(directory, "authorized_keys"),
            File.ReadAllText(Path.Combine(directory, "client.pub")) + File.ReadAllText(Path.Combine(directory, "client_passphrase.pub")));
        WriteBin(directory);

        var port = FreePort();
        var config = Path.Combine(directory, "sshd_config");
        File.WriteAllText(config, $"""
            Port {port}
            ListenAddress 127.0.0.1
            {string.Join("\n", (moreAddresses ?? []).Select(a => "ListenAddress " + a))}
            HostKey {directory}/host_ed25519
            PidFile {directory}/sshd.pid
            AuthorizedKeysFile {directory}/authorized_keys
            UsePAM no
            StrictModes no
            PermitRootLogin prohibit-password
            PubkeyAuthentication yes
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            AllowTcpForwarding yes
            MaxSessions 100
            MaxStartups {maxStartups}
            SetEnv PATH={directory}/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

            """);
        var info = new ProcessStartInfo(SshdPath) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "-f", config, "-D", "-e" }) info.ArgumentList.Add(a);
        var process = Process.Start(info)!;
        var server = new SshdServer(directory, port, process);
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (server._log) server._log.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        try
        {
            server.WaitUntilListening();
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>A fresh known_hosts path for one test; trusting the server's real key, the other key, or nothing.</summary>
    public string KnownHosts(HostKeyTrust trust)
    {
        var path = Path.Combine(Directory, "known_hosts-" + Guid.NewGuid().ToString("N")[..8]);
        var key = trust switch { HostKeyTrust.RealKey => HostKey, HostKeyTrust.OtherKey => OtherHostKey, _ => null };
        File.WriteAllText(path, key is null ? "" : $"{KnownHostsName} {key}\n");
        return path;
    }

    public string HostKeyFingerprint => Run("ssh-keygen", "-l", "-E", "sha256", "-f", Path.Combine(Directory, "host_ed25519.pub")).Split(' ')[1];

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }

    private void WaitUntilListening()
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"sshd exited with {_process.ExitCode}: {Log}");
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (clock.Elapsed < TimeSpan.FromSeconds(30))
            {
                Thread.Sleep(50);
            }
        }
    }

    public string Log { get { lock (_log) return _log.ToString(); } }

    private string PublicKeyOf(string name) =>
        string.Join(' ', File.ReadAllText(Path.Combine(Directory, name + ".pub")).Split(' ').Take(2)).Trim();

    private void Toggle(string name, bool on)
    {
        var path = Path.Combine(Directory, name);
        if (on) File.WriteAllText(path, "");
        else File.Delete(path);
    }

    private static void WriteBin(string directory)
    {
        var bin = System.IO.Directory.CreateDirectory(Path.Combine(directory, "bin")).FullName;
        // The host's sudo for these tests (we run as root and Debian's sudo may not be installed): honours -n/-E,
        // and answers like a sudo that wants a password when the toggle file exists.
        WriteScript(Path.Combine(bin, "sudo"), $$"""
            #!/bin/sh
            while [ $# -gt 0 ]; do case "$1" in -n|-E) shift ;; --) shift; break ;; -*) shift ;; *) break ;; esac; done
            if [ -e '{{directory}}/sudo-requires-password' ]; then echo 'sudo: a password is required' >&2; exit 1; fi
            printf '%s\n' "$*" >> '{{directory}}/sudo.log'
            exec "$@"
            """);
        // sha256sum that lies (changes the first hex digit) when the toggle file exists.
        WriteScript(Path.Combine(bin, "sha256sum"), $$"""
            #!/bin/sh
            if [ -e '{{directory}}/corrupt-checksums' ]; then
              /usr/bin/sha256sum "$@" | sed -z 's/^[0-9a-e]/f/; t; s/^f/0/'
              exit 0
            fi
            exec /usr/bin/sha256sum "$@"
            """);
    }

    private static void WriteScript(string path, string text)
    {
        File.WriteAllText(path, text.Replace("\r\n", "\n") + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({p.ExitCode}): {stderr}");
        return stdout.Result;
    }
}

public enum HostKeyTrust { RealKey, OtherKey, Nothing }
