namespace RecoveryConsole.Procedures.Parameters;

public sealed class ParameterValidationException(IReadOnlyList<ParameterProblem> problems)
    : Exception("Invalid parameters: " + string.Join("; ", problems.Select(p => $"{p.Parameter}: {p.Message}")))
{
    public IReadOnlyList<ParameterProblem> Problems { get; } = problems;
}
