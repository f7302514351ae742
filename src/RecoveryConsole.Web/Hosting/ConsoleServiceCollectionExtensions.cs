using System.Text.Json.Serialization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Radzen;
using RecoveryConsole.Audit;
using RecoveryConsole.Cloud;
using RecoveryConsole.Clusters;
using RecoveryConsole.Orchestration;
using RecoveryConsole.Orchestration.Notifications;
using RecoveryConsole.Web.Components;
using RecoveryConsole.Web.Hubs;
using RecoveryConsole.Web.Runs;

namespace RecoveryConsole.Web.Hosting;

public static class ConsoleServiceCollectionExtensions
{
    /// <summary>The SQLite file (runs, transcripts, audit chain, accounts), the run artifacts and the cookie keys, all in the data directory.</summary>
    public static IServiceCollection AddConsoleStore(this IServiceCollection services, ConsoleOptions options)
    {
        services.AddSingleton(options);
        // The chain key sits with the other keys (0700); the chain heads also go to syslog when configured.
        services.AddAuditStore(options.DatabasePath, options.KeysPath, audit => audit.SyslogSocket = options.Audit.SyslogSocket);
        services.AddArtifactStore(options.ArtifactsPath);
        // Keys on disk: a restart at 3 a.m. must not log everybody out.
        Audit.Storage.OwnerOnly.CreateDirectory(options.KeysPath);
        services.AddDataProtection().SetApplicationName("RecoveryConsole").PersistKeysToFileSystem(new DirectoryInfo(options.KeysPath));
        services.AddSingleton<Exports.ExportSigner>(); // signs exports with its key in the same folder
        // First of all hosted services: the schema and the accounts exist before runs are looked at.
        services.AddHostedService<StoreStartup>();
        return services;
    }

    /// <summary>The run engine and the clusters it can reach: registered real ones, and the simulated lab when enabled.</summary>
    public static IServiceCollection AddConsoleRuns(this IServiceCollection services, ConsoleOptions options, string contentRoot)
    {
        services.AddOrchestration(contentRoot, o =>
        {
            o.ProceduresFolder = options.ProceduresFolder;
            o.ApprovalLifetime = options.FourEyes.ApprovalLifetime;
            o.BreakGlassEnabled = options.FourEyes.BreakGlass;
            o.MaxStartSkew = options.MaxStartSkew;
            o.ProcedureReloadDelay = options.ProcedureReloadDelay;
            o.ProcedureRescanInterval = options.ProcedureRescanInterval;
        });
        options.Validate();
        services.AddRunNotifications(options.Notifications);
        services.AddCloudSteps(); // s3Upload, s3Status, s3Presign, waitForDnsRecordsGone (AWSSDK stays in RecoveryConsole.Cloud)
        services.AddClusters(options.DataPath, options.Lab.Enabled, lab =>
        {
            lab.TimeScale = options.Lab.TimeScale;
            lab.WholeEstate = true;
        });
        return services;
    }

    /// <summary>Blazor (interactive server), Radzen, the run hub.</summary>
    public static IServiceCollection AddConsoleWeb(this IServiceCollection services)
    {
        // Above SignalR's 32 KB default: an oversized parameter reaches the validator and is refused in words instead
        // of dropping the connection; still small enough that no client can make the server buffer much.
        const long MaxMessage = 128 * 1024;
        services.AddRazorComponents().AddInteractiveServerComponents().AddHubOptions(o => o.MaximumReceiveMessageSize = MaxMessage);
        services.AddRadzenComponents();
        services.AddScoped<ViewedCluster>();
        services.AddScoped<RunAccess>();
        services.AddSingleton<FrameJson>();
        services.AddSignalR().AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()))
            .AddHubOptions<RunHub>(o =>
            {
                o.MaximumReceiveMessageSize = MaxMessage;
                // A follower busy parsing a burst may miss two of its 15 s pings: measured, 100 clients of a 50,000-line
                // burst on 2 cores were all cut at the default 30 s. What the server holds for a client is bounded, so
                // a dead one costs little while it is given 2 minutes.
                o.ClientTimeoutInterval = TimeSpan.FromMinutes(2);
                o.AddFilter<RefusedCallLogging>();
                o.AddFilter<SessionCheck>();
            });
        // RefusedCallLogging logs each failed call once, in proportion; SignalR's own log of it is an error with a stack trace.
        services.AddLogging(b => b.AddFilter("Microsoft.AspNetCore.SignalR.Internal.DefaultHubDispatcher", LogLevel.None));
        return services;
    }
}
