namespace RecoveryConsole.Procedures.Loading;

/// <summary>A 1-based line and column in a procedure file.</summary>
public sealed record SourcePosition(int Line, int Column);
