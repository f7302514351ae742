namespace RecoveryConsole.Procedures.Parameters;

/// <summary>Why the value given for one parameter cannot be used; shown next to its field in the wizard.</summary>
public sealed record ParameterProblem(string Parameter, string Message);
