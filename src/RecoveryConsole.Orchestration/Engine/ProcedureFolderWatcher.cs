using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RecoveryConsole.Orchestration.Audit;
using RecoveryConsole.Procedures.Catalog;

namespace RecoveryConsole.Orchestration.Engine;

/// <summary>
/// Reloads the procedures folder when its files change: a <see cref="FileSystemWatcher"/> notice starts a reload once
/// the folder has been quiet for <see cref="OrchestrationOptions.ProcedureReloadDelay"/>, and a rescan every
/// <see cref="OrchestrationOptions.ProcedureRescanInterval"/> catches what inotify missed (overflow, a folder made
/// later, network file systems). Each change is logged and audited with file and version hash.
/// Times are the console's real ones, not a drill's clock: this watches files, not a cluster.
/// </summary>
public sealed class ProcedureFolderWatcher(ProcedureCatalog catalog, IAuditLog audit, IOptions<OrchestrationOptions> options,
    TimeProvider clock, ILogger<ProcedureFolderWatcher> logger) : BackgroundService
{
    private readonly Channel<bool> _notices = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield(); // the host's start does not wait for a folder scan
        var settings = options.Value;
        FileSystemWatcher? watcher = null;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (watcher is null && (watcher = Watch(catalog.Folder)) is not null)
                    await ReloadAsync(); // what changed between the first load and the watch starting
                using var rescan = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                rescan.CancelAfter(settings.ProcedureRescanInterval);
                try
                {
                    await _notices.Reader.ReadAsync(rescan.Token);
                    // Let an editor's burst of writes (truncate, write, rename) settle before reading.
                    do await Task.Delay(settings.ProcedureReloadDelay, stoppingToken);
                    while (_notices.Reader.TryRead(out _));
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                    // The periodic rescan.
                }
                await ReloadAsync();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            watcher?.Dispose();
        }
    }

    private FileSystemWatcher? Watch(string folder)
    {
        try
        {
            var watcher = new FileSystemWatcher(folder)
            {
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size,
                IncludeSubdirectories = false,
            };
            FileSystemEventHandler changed = (_, _) => _notices.Writer.TryWrite(true);
            watcher.Changed += changed;
            watcher.Created += changed;
            watcher.Deleted += changed;
            watcher.Renamed += (_, _) => _notices.Writer.TryWrite(true);
            watcher.Error += (_, e) =>
            {
                logger.LogWarning("Watching the procedures folder lost events ({Reason}); rescanning.", e.GetException().Message);
                _notices.Writer.TryWrite(true);
            };
            watcher.EnableRaisingEvents = true;
            return watcher;
        }
        catch (Exception ex) when (ex is ArgumentException or IOException or UnauthorizedAccessException)
        {
            // A missing folder cannot be watched; the periodic rescan still reads it and the watch is tried again.
            logger.LogWarning("Cannot watch the procedures folder {Folder}: {Reason}; it is rescanned every {Interval}.",
                folder, ex.Message, options.Value.ProcedureRescanInterval);
            return null;
        }
    }

    private async Task ReloadAsync()
    {
        CatalogReload reload;
        try
        {
            reload = catalog.Reload();
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Reloading the procedures folder {Folder} failed; the procedures in service stay.", catalog.Folder);
            return;
        }
        foreach (var loaded in reload.Loaded)
        {
            logger.LogInformation("Procedure {Id} loaded from {File} (version {Version}).", loaded.Id, loaded.FilePath, Short(loaded.VersionHash));
            await AuditAsync(AuditKinds.ProcedureReloaded, $"{loaded.Id}@{Short(loaded.VersionHash)} from {Path.GetFileName(loaded.FilePath)} ({loaded.VersionHash})");
        }
        foreach (var rejected in reload.Rejected)
        {
            var errors = string.Join("; ", rejected.Errors.Select(e => $"line {e.Line}{(e.Field.Length > 0 ? " " + e.Field : "")}: {e.Message}"));
            var kept = rejected.KeptVersion is { } k ? $"{k.Id}@{Short(k.VersionHash)} stays in service" : "not offered";
            logger.LogWarning("Procedure file {File} rejected: {Errors}; {Kept}.", rejected.File, errors, kept);
            await AuditAsync(AuditKinds.ProcedureRejected,
                $"{Path.GetFileName(rejected.File)}@{Short(rejected.VersionHash)}{(rejected.Id is null ? "" : $" ({rejected.Id})")}: {errors}; {kept}");
        }
        foreach (var removed in reload.Removed)
        {
            logger.LogInformation("Procedure {Id} removed: {File} is gone.", removed.Id, removed.FilePath);
            await AuditAsync(AuditKinds.ProcedureRemoved, $"{removed.Id}@{Short(removed.VersionHash)}: {Path.GetFileName(removed.FilePath)} is gone");
        }
    }

    private async Task AuditAsync(string kind, string detail)
    {
        try
        {
            await audit.AppendAsync(new AuditEvent(clock.GetUtcNow(), "system", kind, null, detail), CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The reload has happened; a failed audit write must not undo it or stop the watch.
            logger.LogError(ex, "Could not audit {Kind}: {Detail}", kind, detail);
        }
    }

    private static string Short(string hash) => hash.Length > 12 ? hash[..12] : hash;
}
