using System.Text.Json.Nodes;
using RecoveryConsole.Orchestration.Artifacts;
using RecoveryConsole.Orchestration.Clusters;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Actions;

/// <summary>
/// A typed action: what a procedure file cannot say as data (list and decide, find and re-create, poll a rollout).
/// Like an elsa-core activity it declares its inputs (<see cref="Arguments"/>, checked when procedures load) and its
/// outputs (<see cref="Outputs"/>, which steps capture into variables). An action registers itself with
/// <c>services.AddStepAction&lt;T&gt;()</c>; the engine knows none by name. Failures throw
/// <see cref="Engine.StepFailedException"/> with a sentence for the operator.
/// </summary>
public interface IStepAction
{
    string Name { get; }
    /// <summary>Argument names the action accepts.</summary>
    IReadOnlyCollection<string> Arguments { get; }
    /// <summary>Names of the values the action sets with <see cref="ActionContext.SetOutput"/>.</summary>
    IReadOnlyCollection<string> Outputs => [];
    /// <summary>
    /// Outputs that are credentials (a presigned URL): set with <see cref="ActionContext.SetSecretOutput"/>, learnt by the
    /// redactor the moment they are made, and stored masked with the step's record.
    /// </summary>
    IReadOnlyCollection<string> SecretOutputs => [];
    Task ExecuteAsync(ActionContext context, CancellationToken cancellationToken);
}

/// <summary>
/// An action with secret outputs and no effect anywhere (s3Presign signs a URL locally after a HEAD): a resumed run,
/// which forgot those outputs (they are stored masked), runs it again to make them anew instead of failing the next
/// step that needs them. Only for actions that change nothing; the step's record stays as it was.
/// </summary>
public interface IRemakeOnResume : IStepAction;

/// <summary>
/// What an action gets: the cluster (its API, every request logged to the transcript; its hosts; its facts), its
/// arguments, the run's variables, the run's artifact store, a place to write lines, and the run's clock.
/// </summary>
public sealed record ActionContext(
    IKubernetesApi Api,
    IReadOnlyDictionary<string, string> Arguments,
    IOutputSink Output,
    TimeProvider Clock,
    TimeSpan? Timeout)
{
    private readonly Dictionary<string, JsonNode?> _outputs = new(StringComparer.Ordinal);
    private readonly HashSet<string> _secretOutputs = new(StringComparer.Ordinal);

    public Guid RunId { get; init; }
    public ClusterInfo? Cluster { get; init; }
    /// <summary>The cluster's hosts (commands); their output goes to <see cref="Output"/>.</summary>
    public IHostTransport? Hosts { get; init; }
    /// <summary>File transfer with the hosts, when the transport can (OpenSSH and the lab can).</summary>
    public IHostFiles? Files { get; init; }
    public IArtifactStore? Artifacts { get; init; }
    /// <summary>The AWS account registered for the step's cluster (S3, Route53); null: none.</summary>
    public CloudAccount? Cloud { get; init; }
    /// <summary>How the engine's redactor learns a secret (<see cref="AddSecret"/>); null outside a run.</summary>
    public Action<string>? LearnSecret { get; init; }
    /// <summary>The values in scope (parameters, facts, variables), flattened as templates see them.</summary>
    public IReadOnlyDictionary<string, string> Values { get; init; } = new Dictionary<string, string>();

    /// <summary>What a <see cref="IPreviewableAction"/> showed just before it runs (the approved preview, when an approval covers it).</summary>
    public ActionPreview? Preview { get; init; }

    public IReadOnlyDictionary<string, JsonNode?> Produced => _outputs;

    public string Argument(string name, string fallback) => Arguments.TryGetValue(name, out var v) && v.Length > 0 ? v : fallback;

    public string RequiredArgument(string name) => Arguments.TryGetValue(name, out var v) && v.Length > 0
        ? v : throw new Engine.StepFailedException($"The action needs the argument '{name}'.");

    /// <summary>A true/false argument (default false); anything else stops the step, saying what did not happen.</summary>
    public bool Flag(string name, string consequence) => Argument(name, "false") switch
    {
        "true" => true,
        "false" => false,
        var other => throw new Engine.StepFailedException($"{name} '{other}' is not true or false; {consequence}."),
    };

    public void SetOutput(string name, JsonNode? value) => _outputs[name] = value;

    /// <summary>Names of the outputs set with <see cref="SetSecretOutput"/>.</summary>
    public IReadOnlySet<string> SecretOutputNames => _secretOutputs;

    /// <summary>
    /// An output that is a credential: the redactor learns it (and its JSON-escaped form, as a logged request body shows
    /// it) before the value is handed on, so no later line can print it.
    /// </summary>
    public void SetSecretOutput(string name, string value)
    {
        AddSecret(value);
        AddSecret(System.Text.Json.JsonEncodedText.Encode(value).ToString());
        _secretOutputs.Add(name);
        _outputs[name] = JsonValue.Create(value);
    }

    /// <summary>A value no line may show (a signature inside a URL): masked wherever it appears from now on.</summary>
    public void AddSecret(string value) => LearnSecret?.Invoke(value);

    /// <summary>The exit code of the command the action ran (podExec): the step's <c>expect:</c> judges it with the stdout written.</summary>
    public int? ExitCode { get; private set; }

    public void ReportExitCode(int code) => ExitCode = code;

    public HostInfo Host(string name) => Cluster?.FindHost(name)
        ?? throw new Engine.StepFailedException($"Cluster {Cluster?.Name} has no host '{name}'.");
}
