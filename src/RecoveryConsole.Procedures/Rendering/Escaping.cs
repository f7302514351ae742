namespace RecoveryConsole.Procedures.Rendering;

/// <summary>How a value is escaped for the place its template ends up in.</summary>
public enum Escaping
{
    /// <summary>Shell commands: each value becomes one quoted word (<see cref="ShellQuote"/>).</summary>
    Shell,
    /// <summary>API paths: each value is percent-encoded, so it cannot add path segments or a query.</summary>
    Url,
    /// <summary>JSON bodies: the value is escaped as JSON string content; the template supplies the quotes.</summary>
    Json,
    /// <summary>Text shown to people and action arguments: inserted as is.</summary>
    None,
}
