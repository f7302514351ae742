namespace RecoveryConsole.Procedures.Model;

/// <summary>
/// What a command or API answer must look like. All set fields must hold.
/// For commands: exit code and output (stdout unless <see cref="Streams"/> says otherwise). For API calls: status code, output is the body,
/// Field is a dotted path into the JSON body (see FieldPath) compared with FieldEquals.
/// </summary>
public sealed record Expectation
{
    public static readonly Expectation Success = new() { ExitCode = 0 };

    /// <summary>Required exit code; null accepts any.</summary>
    public int? ExitCode { get; init; }
    /// <summary>Output is empty after trimming white space ("wait until the output is empty").</summary>
    public bool? OutputIsEmpty { get; init; }
    /// <summary>A regular expression that must match somewhere in the output (multiline).</summary>
    public string? OutputMatches { get; init; }
    /// <summary>A regular expression that must not match anywhere in the output.</summary>
    public string? OutputNotMatches { get; init; }
    /// <summary>For API answers: a field path such as status.conditions[type=NodeInstallerProgressing].reason.</summary>
    public string? Field { get; init; }
    public string? FieldEquals { get; init; }
    /// <summary>For API answers: required HTTP status (default: any 2xx).</summary>
    public int? Status { get; init; }
    /// <summary>
    /// Which output of a command the output checks read (<c>stream:</c>): tools such as <c>etcdctl endpoint health</c> print
    /// their verdict to stderr. API answers have one body.
    /// </summary>
    public OutputStreams Streams { get; init; } = OutputStreams.Stdout;
    /// <summary>Counts, all, none over a list in the answer ("3 etcd pods Running", "no CSR pending", "every node Ready").</summary>
    public IReadOnlyList<AggregateCheck> Aggregates { get; init; } = [];

    public bool Equals(Expectation? other) =>
        other is not null && ExitCode == other.ExitCode && OutputIsEmpty == other.OutputIsEmpty && OutputMatches == other.OutputMatches
        && OutputNotMatches == other.OutputNotMatches && Field == other.Field && FieldEquals == other.FieldEquals && Status == other.Status
        && Streams == other.Streams && Aggregates.SequenceEqual(other.Aggregates);

    public override int GetHashCode() => HashCode.Combine(ExitCode, OutputMatches, Field, Status, Aggregates.Count);
}

public enum AggregateKind { Count, All, None }

/// <summary>A command's output an expectation reads: stdout, stderr, or both (stdout's lines, then stderr's).</summary>
public enum OutputStreams { Stdout, Stderr, Both }

/// <summary>
/// One check over a list: <see cref="Of"/> selects the items (a field path into the JSON answer, where <c>[*]</c> and
/// <c>[field=value]</c> select every match, or <c>lines</c> for the output's non-blank lines); the item predicate is
/// <see cref="Field"/> compared with <see cref="EqualsValue"/>, <see cref="Matches"/> or <see cref="Missing"/>.
/// </summary>
public sealed record AggregateCheck
{
    public const string Lines = "lines";

    public required AggregateKind Kind { get; init; }
    public required string Of { get; init; }
    public string? Field { get; init; }
    public string? EqualsValue { get; init; }
    public string? Matches { get; init; }
    public bool? Missing { get; init; }
    /// <summary>For counts: how many items must satisfy the predicate.</summary>
    public int? CountEquals { get; init; }
    public int? AtLeast { get; init; }
    public int? AtMost { get; init; }
}
