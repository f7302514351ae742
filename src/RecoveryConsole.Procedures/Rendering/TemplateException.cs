namespace RecoveryConsole.Procedures.Rendering;

/// <summary>A template could not be rendered: an unknown name (<see cref="Name"/>) or a malformed placeholder.</summary>
public sealed class TemplateException(string message, string? name = null) : Exception(message)
{
    /// <summary>The placeholder name that had no value; null when the template itself is malformed.</summary>
    public string? Name { get; } = name;
}
