using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RecoveryConsole.Orchestration.Actions;
using RecoveryConsole.Orchestration.Artifacts;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Transcript;
using RecoveryConsole.Procedures.Catalog;
using RecoveryConsole.Procedures.Loading;

namespace RecoveryConsole.Orchestration;

public static class OrchestrationServiceCollectionExtensions
{
    /// <summary>Registers an action under its <see cref="IStepAction.Name"/>: procedures can use it, the engine needs no change.</summary>
    public static IServiceCollection AddStepAction<T>(this IServiceCollection services) where T : class, IStepAction
    {
        services.AddSingleton<IStepAction, T>();
        return services;
    }

    /// <summary>
    /// The run engine: catalog, actions, fan-out, batched transcript writer and the run service. The writer is registered
    /// before the run service so that at shutdown runs are interrupted first and the writer then flushes their last lines.
    /// </summary>
    public static IServiceCollection AddOrchestration(this IServiceCollection services, string contentRoot, Action<OrchestrationOptions>? configure = null)
    {
        services.AddOptions<OrchestrationOptions>();
        if (configure is not null) services.Configure(configure);
        services.AddOptions<TranscriptWriterOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddStepAction<ApproveCsrsAction>();
        services.AddStepAction<ForceRedeploymentAction>();
        services.AddStepAction<WaitForRevisionAction>();
        services.AddStepAction<ListCsrsAction>();
        services.AddStepAction<ListNodesAction>();
        services.AddStepAction<WaitForNodesReadyAction>();
        services.AddStepAction<WaitForStableClusterAction>();
        services.AddStepAction<WaitForHostReadyAction>();
        services.AddStepAction<ProbeApiAction>();
        services.AddStepAction<RecreateMachineAction>();
        services.AddStepAction<CheckAction>();
        services.AddStepAction<SaveBackupAction>();
        services.AddStepAction<ListBackupsAction>();
        services.AddStepAction<CopyBackupToHostAction>();
        services.AddStepAction<CopyFileAction>();
        services.AddStepAction<Actions.Files.WriteFileAction>();
        services.AddStepAction<Actions.Files.DownloadFileAction>();
        services.AddStepAction<Actions.Files.EditFileAction>();
        services.AddStepAction<Actions.Pods.PodExecAction>();
        services.AddStepAction<Actions.Pods.PodCopyFromAction>();
        services.AddStepAction<Actions.Pods.PodCopyToAction>();
        services.AddStepAction<Actions.Objects.SaveObjectsAction>();
        services.AddStepAction<Actions.Objects.ApplyObjectsAction>();
        services.AddStepAction<Actions.Objects.ScaleAction>();
        services.AddStepAction<Actions.Objects.PatchAction>();
        services.AddStepAction<Actions.Objects.DeleteObjectsAction>();
        services.AddStepAction<Actions.Pods.ListPodsAction>();
        services.AddSingleton<StepActions>();
        services.AddSingleton<Redactor>();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<OrchestrationOptions>>().Value;
            var folder = Path.GetFullPath(Path.Combine(contentRoot, options.ProceduresFolder));
            var actions = sp.GetRequiredService<StepActions>();
            return ProcedureCatalog.Load(folder, new ProcedureLoaderOptions
            {
                KnownActions = actions.Names, ActionArguments = actions.Arguments, ActionOutputs = actions.Outputs,
            }, sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton<ProcedureFolderWatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<ProcedureFolderWatcher>());
        services.AddSingleton<TranscriptWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<TranscriptWriter>());
        services.AddSingleton<BurstGauge>();
        services.AddSingleton<RunFeed>();
        services.AddSingleton<RunService>();
        services.AddHostedService(sp => sp.GetRequiredService<RunService>());
        services.AddSingleton<Attention.AttentionBoard>();
        services.AddHostedService(sp => sp.GetRequiredService<Attention.AttentionBoard>());
        return services;
    }

    /// <summary>The run artifact store (<see cref="FileArtifactStore"/>): files under <paramref name="folder"/>, the console's <c>&lt;DataDirectory&gt;/artifacts</c>.</summary>
    public static IServiceCollection AddArtifactStore(this IServiceCollection services, string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var root = Path.GetFullPath(folder);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IArtifactStore>(sp => new FileArtifactStore(root, sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
