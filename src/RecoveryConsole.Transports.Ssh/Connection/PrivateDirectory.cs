using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace RecoveryConsole.Transports.Ssh.Connection;

/// <summary>
/// A directory only this process's user can enter (0700, created atomically by mkdtemp): control sockets and the
/// unencrypted key file live here and nowhere else. Removed on dispose; one left behind by a crashed console is
/// removed by <see cref="SweepStale"/> at the next start.
/// </summary>
internal sealed class PrivateDirectory : IDisposable
{
    public const string Prefix = "rc-ssh-";
    public const string KeyFilePrefix = "id-";
    public const string SocketPrefix = "m-";
    private const string OwnerFile = "owner";
    private readonly List<string> _secretFiles = [];
    private bool _disposed;

    private PrivateDirectory(string path) => Path = path;

    public string Path { get; }

    public static PrivateDirectory Create(string parent)
    {
        Directory.CreateDirectory(parent);
        var template = Encoding.UTF8.GetBytes(System.IO.Path.Combine(System.IO.Path.GetFullPath(parent), Prefix + "XXXXXX") + "\0");
        if (mkdtemp(template) == IntPtr.Zero)
            throw new IOException($"Could not create a private directory under {parent} (errno {Marshal.GetLastPInvokeError()}).");
        var path = Encoding.UTF8.GetString(template, 0, template.Length - 1);
        // Who owns it, so a later console can tell a crashed owner's leftovers from a live one's.
        File.WriteAllText(System.IO.Path.Combine(path, OwnerFile), OwnerText(Environment.ProcessId));
        return new PrivateDirectory(path);
    }

    /// <summary>
    /// Makes the directory again at the same path when it is gone (someone removed it under /tmp): created 0700 by this
    /// process with mkdir, which fails if anything else took the path meanwhile, so the console never adopts a directory
    /// it did not make. Returns false when the directory is there. Its secret files are gone with it: write them again.
    /// </summary>
    public bool RecreateIfMissing()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Directory.Exists(Path)) return false;
        if (mkdir(Path, Convert.ToUInt32("700", 8)) != 0)
            throw new IOException($"The console's private SSH directory {Path} was removed and could not be made again (errno {Marshal.GetLastPInvokeError()}); something else may have taken the path.");
        File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.WriteAllText(System.IO.Path.Combine(Path, OwnerFile), OwnerText(Environment.ProcessId));
        lock (_secretFiles) _secretFiles.Clear();
        return true;
    }

    /// <summary>Writes a file that only the owner may read (0600 from the moment it exists); it is wiped on dispose.</summary>
    public string WriteSecretFile(string name, ReadOnlySpan<byte> content, bool executable = false)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var path = System.IO.Path.Combine(Path, name);
        using (var stream = new FileStream(path, new FileStreamOptions
               {
                   Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None,
                   UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | (executable ? UnixFileMode.UserExecute : 0),
               }))
        {
            stream.Write(content);
        }
        lock (_secretFiles) _secretFiles.Add(path);
        return path;
    }

    /// <summary>Overwrites and deletes one secret file now, ahead of dispose.</summary>
    public void DeleteSecretFile(string path)
    {
        Wipe(path);
        lock (_secretFiles) _secretFiles.Remove(path);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        lock (_secretFiles)
        {
            foreach (var file in _secretFiles) Wipe(file);
            _secretFiles.Clear();
        }
        try { Directory.Delete(Path, recursive: true); }
        catch (DirectoryNotFoundException) { }
    }

    /// <summary>
    /// Removes private directories whose owning console process is gone (a crash skips dispose), closing any master
    /// connection still listening there first. Directories of live processes are left alone.
    /// </summary>
    public static int SweepStale(string parent, string sshPath)
    {
        if (!Directory.Exists(parent)) return 0;
        var removed = 0;
        foreach (var dir in Directory.EnumerateDirectories(parent, Prefix + "*"))
        {
            try
            {
                var owner = System.IO.Path.Combine(dir, OwnerFile);
                if (!File.Exists(owner) || OwnerAlive(File.ReadAllText(owner))) continue;
                foreach (var socket in Directory.EnumerateFiles(dir, SocketPrefix + "*"))
                    ExitMaster(sshPath, socket);
                foreach (var file in Directory.EnumerateFiles(dir, KeyFilePrefix + "*")) Wipe(file);
                Directory.Delete(dir, recursive: true);
                removed++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // someone else's, or in use
        }
        return removed;
    }

    /// <summary>
    /// "pid start": the start is the kernel's start time of the process in clock ticks since boot (/proc/PID/stat field
    /// 22), which every process reads identically. Process.StartTime is not fit for this: it is derived from the boot time
    /// each reader computes for itself, and two processes get values a few milliseconds apart, so a live console's
    /// directory looked crashed to another console, which then deleted its key file and control sockets.
    /// </summary>
    internal static string OwnerText(int pid) =>
        $"{pid} {(KernelStartTime(pid) is { } start ? start.ToString(CultureInfo.InvariantCulture) : "?")}";

    internal static bool OwnerAlive(string ownerText)
    {
        var parts = ownerText.Trim().Split(' ');
        if (parts.Length != 2 || !int.TryParse(parts[0], CultureInfo.InvariantCulture, out var pid)) return false;
        var now = KernelStartTime(pid);
        if (now is null) return ProcessExists(pid) && parts[1] == "?"; // no /proc: keep what might be live
        // A reused pid is another process: its start differs.
        return long.TryParse(parts[1], CultureInfo.InvariantCulture, out var started) && started == now;
    }

    private static long? KernelStartTime(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[19], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException) { return null; }
    }

    private static bool ProcessExists(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }

    private static void ExitMaster(string sshPath, string socket)
    {
        try
        {
            using var process = Processes.ChildProcess.Start(sshPath, ["-o", "ControlPath=" + socket.Replace("%", "%%", StringComparison.Ordinal), "-O", "exit", "stale-master"]);
            process.StandardInput.Close();
            if (!process.WaitForExit(TimeSpan.FromSeconds(5))) Processes.ChildProcess.KillQuietly(process);
        }
        catch (InvalidOperationException) { }
    }

    /// <summary>Overwrites a file with zeros before deleting it, so the key does not linger in the freed blocks of simple file systems.</summary>
    private static void Wipe(string path)
    {
        try
        {
            var length = new FileInfo(path).Length;
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.None))
            {
                stream.Write(new byte[length]);
                stream.Flush(flushToDisk: true);
            }
            File.Delete(path);
        }
        catch (FileNotFoundException) { }
        catch (DirectoryNotFoundException) { }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern IntPtr mkdtemp(byte[] template);

    [DllImport("libc", SetLastError = true)]
    private static extern int mkdir([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode);
}
