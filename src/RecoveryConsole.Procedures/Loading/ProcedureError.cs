namespace RecoveryConsole.Procedures.Loading;

/// <summary>
/// One problem in a procedure file. Line and column are 1-based (0 when the problem concerns the whole
/// file, e.g. it cannot be read); <see cref="Field"/> is a path such as <c>steps[2].forEach.except</c>.
/// </summary>
public sealed record ProcedureError(string File, int Line, int Column, string Field, string Message)
{
    public override string ToString() =>
        Line > 0 ? $"{File}:{Line}:{Column}: {Field}: {Message}" : $"{File}: {Field}: {Message}";
}
