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
    /// <summary>Reverse proxies (IP addresses) besides loopback whose X-Forwarded-Proto/-For headers are believed.</summary>
    public List<string> TrustedProxies { get; set; } = [];

    public sealed class LabSettings
    {
        /// <summary>Registers the simulated cluster and the demo users. Never on a console that faces a real cluster alone.</summary>
        public bool Enabled { get; set; }
        public double TimeScale { get; set; } = 1.0;
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
