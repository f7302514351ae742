namespace RecoveryConsole.Procedures.Model;

/// <summary>
/// What a command or API answer must look like. All set fields must hold.
/// For commands: exit code and output (stdout only). For API calls: status code, output is the body,
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
}
