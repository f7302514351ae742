namespace RecoveryConsole.Procedures.Expectations;

/// <summary>Whether an expectation held, with a short sentence an operator can act on.</summary>
public sealed record ExpectationResult(bool Holds, string Explanation);
