namespace RecoveryConsole.Procedures.Conditions;

/// <summary>A <c>when</c> condition is malformed, or names something that has no value.</summary>
public sealed class ConditionException(string message, int? position = null) : Exception(message)
{
    /// <summary>1-based character position in the condition text; null when not tied to one place.</summary>
    public int? Position { get; } = position;
}
