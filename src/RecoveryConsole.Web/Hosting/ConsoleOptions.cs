namespace RecoveryConsole.Web.Hosting;

/// <summary>The "Console" configuration section.</summary>
public sealed class ConsoleOptions
{
    public const string Section = "Console";

    /// <summary>Holds the SQLite file and the data-protection keys; "~" is the user's home.</summary>
    public string DataDirectory { get; set; } = "~/.local/share/recoveryconsole";
    /// <summary>Procedure files, relative to the content root unless absolute.</summary>
    public string ProceduresFolder { get; set; } = "procedures";
    public LabSettings Lab { get; set; } = new();
    public FourEyesSettings FourEyes { get; set; } = new();
    public AuditSettings Audit { get; set; } = new();
    /// <summary>"Console:MaxStartSkew": for steps whose hosts start together, the skew above which a warning is written (a step's maxSkew wins).</summary>
    public TimeSpan MaxStartSkew { get; set; } = TimeSpan.FromSeconds(1);
    /// <summary>"Console:Notifications": a JSON POST to a chat or paging tool when an approval is needed or a run fails.</summary>
    public Orchestration.Notifications.NotificationOptions Notifications { get; set; } = new();
    /// <summary>"Console:ProcedureReloadDelay": how long the procedures folder must be quiet after a change before it is reloaded (editors write in bursts).</summary>
    public TimeSpan ProcedureReloadDelay { get; set; } = TimeSpan.FromMilliseconds(500);
    /// <summary>"Console:ProcedureRescanInterval": the folder is read again this often anyway, since file notices can be missed.</summary>
    public TimeSpan ProcedureRescanInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// "Console:TranscriptWindowRows": rows the run page's transcript scroller holds at once. Browsers cannot scroll an
    /// element much taller than 16 million px (Chromium: ~838,000 rows of 20 px); longer transcripts are shown a window at a time.
    /// </summary>
    public int TranscriptWindowRows { get; set; } = 500_000;

    /// <summary>Refuses settings the console cannot run with, naming the setting; called before anything starts.</summary>
    public void Validate()
    {
        if (ProcedureReloadDelay < TimeSpan.Zero || ProcedureReloadDelay > TimeSpan.FromMinutes(1))
            throw new InvalidOperationException($"Console:ProcedureReloadDelay {ProcedureReloadDelay} must be between 0 and 1 minute.");
        if (ProcedureRescanInterval < TimeSpan.FromSeconds(1))
            throw new InvalidOperationException($"Console:ProcedureRescanInterval {ProcedureRescanInterval} must be at least 1 second.");
        if (TranscriptWindowRows is < 100 or > 800_000)
            throw new InvalidOperationException($"Console:TranscriptWindowRows {TranscriptWindowRows} must be between 100 and 800,000.");
        _ = Notifications.Webhook(); // a malformed address stops the start here, in words, before anything runs
    }

    public sealed class AuditSettings
    {
        /// <summary>A syslog socket (usually /dev/log) that also receives each audit chain head; empty: the anchor file only.</summary>
        public string? SyslogSocket { get; set; }
    }
    /// <summary>Reverse proxies (IP addresses) besides loopback whose X-Forwarded-Proto/-For headers are believed.</summary>
    public List<string> TrustedProxies { get; set; } = [];

    public sealed class LabSettings
    {
        /// <summary>Registers the simulated cluster and the demo users. Never on a console that faces a real cluster alone.</summary>
        public bool Enabled { get; set; }
        public double TimeScale { get; set; } = 1.0;
    }

    /// <summary>"Console:FourEyes": how long approvals hold, and whether an operator may approve alone (break-glass).</summary>
    public sealed class FourEyesSettings
    {
        /// <summary>An approval request (and an approval not yet used) lapses after this; the step asks again.</summary>
        public TimeSpan ApprovalLifetime { get; set; } = TimeSpan.FromMinutes(30);
        /// <summary>Off by default: an admin enables it for a night nobody else can be reached. Every use is audited and reviewed.</summary>
        public bool BreakGlass { get; set; }
    }

    public string DataPath => ExpandHome(DataDirectory);
    public string DatabasePath => Path.Combine(DataPath, "recoveryconsole.db");
    public string KeysPath => Path.Combine(DataPath, "keys");
    /// <summary>Files runs saved (etcd backups copied off hosts), one folder per run.</summary>
    public string ArtifactsPath => Path.Combine(DataPath, "artifacts");

    public static ConsoleOptions From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<ConsoleOptions>() ?? new ConsoleOptions();

    private static string ExpandHome(string path)
    {
        if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal))
            path = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.Length > 2 ? path[2..] : "");
        return Path.GetFullPath(path);
    }
}
