namespace RecoveryConsole.Procedures.Model;

public enum StepKind
{
    /// <summary>A shell command on the target host(s).</summary>
    Run,
    /// <summary>One Kubernetes API request.</summary>
    Api,
    /// <summary>Poll a probe until its expectation holds, every interval, up to a timeout.</summary>
    Wait,
    /// <summary>Something only a person can do (DNS, load balancer); confirmed with a note.</summary>
    Manual,
    /// <summary>A typed built-in action (approve CSRs, force a redeployment, wait for a revision).</summary>
    Action,
    /// <summary>Only nested steps, usually repeated for each host.</summary>
    Group,
    /// <summary>The operator chooses or enters a value that becomes a variable.</summary>
    Input,
    /// <summary>Values built from what is known (chosen hosts, addresses, captures), shown for review when asked.</summary>
    Compute,
}

/// <summary>One step of a procedure. Exactly one of Run/Api/Wait/Manual/Action is set, matching <see cref="Kind"/>; a Group has Steps.</summary>
public sealed record StepDefinition
{
    public required string Id { get; init; }
    /// <summary>Unique path within the procedure: parent ids and this id joined by '/'.</summary>
    public required string Path { get; init; }
    public required string Title { get; init; }
    public required StepKind Kind { get; init; }
    /// <summary>Section of the source document, e.g. "5.3.2.2 step 4".</summary>
    public string Section { get; init; } = "";
    public string Description { get; init; } = "";
    public StepTarget Target { get; init; } = StepTarget.Cluster;
    /// <summary>The cluster role an API step, API wait or action talks to (inherited from its group); null: the run's main cluster.</summary>
    public string? Cluster { get; init; }
    /// <summary>Condition over parameters and cluster facts; the step is skipped when false. Null: always.</summary>
    public string? When { get; init; }
    /// <summary>Destructive steps wait for a second person's approval before anything is sent.</summary>
    public bool Destructive { get; init; }

    public CommandSpec? Run { get; init; }
    public ApiCall? Api { get; init; }
    public WaitSpec? Wait { get; init; }
    public ManualSpec? Manual { get; init; }
    public ActionSpec? Action { get; init; }
    public InputSpec? Input { get; init; }
    public ComputeSpec? Compute { get; init; }

    /// <summary>Values captured from the step's output into run variables.</summary>
    public IReadOnlyList<CaptureSpec> Captures { get; init; } = [];
    /// <summary>Repeat the step once per item of a list (<c>forEach: { items: ... }</c>).</summary>
    public ItemLoop? ForEachItem { get; init; }
    /// <summary>Repeat a group in rounds until a condition holds.</summary>
    public RepeatSpec? Repeat { get; init; }

    /// <summary>What counts as success for Run and Api steps.</summary>
    public Expectation Expect { get; init; } = Expectation.Success;
    public TimeSpan? Timeout { get; init; }
    public RetryPolicy Retry { get; init; } = RetryPolicy.None;
    public IReadOnlyList<StepDefinition> Steps { get; init; } = [];

    public IEnumerable<StepDefinition> SelfAndDescendants() => Steps.SelectMany(s => s.SelfAndDescendants()).Prepend(this);
}

/// <summary>A shell command template. Parameters are inserted with {{ name }} and always shell-quoted.</summary>
public sealed record CommandSpec(string Template, bool Sudo = false, bool PreserveEnvironment = false)
{
    /// <summary>Environment variables set for the command (<c>env:</c>), values rendered and shell-quoted; an entry whose value renders empty is not set.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Environment { get; init; } = [];
}

/// <summary>A Kubernetes API request template; {{ }} values are URL-escaped in the path and JSON-escaped in the body.</summary>
public sealed record ApiCall
{
    public required string Method { get; init; }
    public required string Path { get; init; }
    public string? Body { get; init; }
    /// <summary>Content type for the body, e.g. application/merge-patch+json.</summary>
    public string? ContentType { get; init; }
}

/// <summary>What a wait polls: a command on the host(s) or an API request.</summary>
public sealed record Probe
{
    public CommandSpec? Command { get; init; }
    public ApiCall? Api { get; init; }
}

public sealed record WaitSpec
{
    public required Probe Probe { get; init; }
    public required Expectation Until { get; init; }
    public TimeSpan Every { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);
}

public sealed record ManualSpec
{
    /// <summary>What the operator must do, in the document's words.</summary>
    public required string Instructions { get; init; }
    public bool RequireNote { get; init; } = true;
}

public sealed record ActionSpec
{
    /// <summary>Name of a built-in action: approveCsrs, forceRedeployment, waitForRevision, ...</summary>
    public required string Name { get; init; }
    /// <summary>Arguments; values are templates rendered like commands (but not shell-quoted).</summary>
    public IReadOnlyDictionary<string, string> With { get; init; } = new Dictionary<string, string>();
}

public sealed record RetryPolicy(int Attempts, TimeSpan Delay)
{
    public static readonly RetryPolicy None = new(1, TimeSpan.Zero);
}
