namespace RecoveryConsole.Orchestration.Artifacts;

/// <summary>
/// An artifact's name becomes a file name under the run's folder, so it must stay one plain name: no separators, no
/// "..", no control characters, and no leading dot (the store's own manifest and partial files start with one).
/// </summary>
internal static class ArtifactNames
{
    public const int MaxLength = 200;

    /// <exception cref="ArgumentException">Says what is wrong with the name.</exception>
    public static void Validate(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var problem = name switch
        {
            _ when name.Trim().Length == 0 => "is empty",
            _ when name.Length > MaxLength => $"is longer than {MaxLength} characters",
            _ when name.Contains('/') || name.Contains('\\') => "contains a path separator",
            _ when name.Contains("..", StringComparison.Ordinal) => "contains '..'",
            _ when name.Any(char.IsControl) => "contains a control character",
            _ when name.StartsWith('.') => "starts with '.' (reserved for the store's own files)",
            _ => null,
        };
        if (problem is not null)
            throw new ArgumentException($"Artifact name '{Printable(name)}' {problem}: use a plain file name such as snapshot_2026-12-02_030000.db.", nameof(name));
    }

    private static string Printable(string name) =>
        string.Concat(name.Take(MaxLength).Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
}
