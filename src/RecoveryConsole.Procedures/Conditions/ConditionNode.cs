namespace RecoveryConsole.Procedures.Conditions;

/// <summary>The parsed expression tree of a condition.</summary>
internal abstract record ConditionNode
{
    public abstract bool Evaluate(Func<Identifier, string> lookup);
}

/// <summary>A name (parameter or cluster fact); as a condition by itself it is true when its value is "true".</summary>
internal sealed record Identifier(string Name, int Position) : ConditionNode
{
    public override bool Evaluate(Func<Identifier, string> lookup) =>
        string.Equals(lookup(this), "true", StringComparison.OrdinalIgnoreCase);
}

internal sealed record StringLiteral(string Value) : ConditionNode
{
    // The parser never lets a literal stand alone, only inside a comparison.
    public override bool Evaluate(Func<Identifier, string> lookup) => throw new InvalidOperationException();
}

internal sealed record Comparison(ConditionNode Left, ConditionNode Right, bool Equal) : ConditionNode
{
    public override bool Evaluate(Func<Identifier, string> lookup) =>
        string.Equals(Value(Left, lookup), Value(Right, lookup), StringComparison.Ordinal) == Equal;

    internal static string Value(ConditionNode node, Func<Identifier, string> lookup) => node switch
    {
        Identifier id => lookup(id),
        StringLiteral s => s.Value,
        _ => throw new InvalidOperationException(),
    };
}

/// <summary><c>item in lostHosts</c>: the left value is one of the right list's items.</summary>
internal sealed record Membership(ConditionNode Left, ConditionNode Right) : ConditionNode
{
    public override bool Evaluate(Func<Identifier, string> lookup) =>
        Rendering.TemplateValues.Items(Comparison.Value(Right, lookup)).Contains(Comparison.Value(Left, lookup), StringComparer.Ordinal);
}

internal sealed record Not(ConditionNode Operand) : ConditionNode
{
    public override bool Evaluate(Func<Identifier, string> lookup) => !Operand.Evaluate(lookup);
}

internal sealed record And(ConditionNode Left, ConditionNode Right) : ConditionNode
{
    public override bool Evaluate(Func<Identifier, string> lookup) => Left.Evaluate(lookup) && Right.Evaluate(lookup);
}

internal sealed record Or(ConditionNode Left, ConditionNode Right) : ConditionNode
{
    public override bool Evaluate(Func<Identifier, string> lookup) => Left.Evaluate(lookup) || Right.Evaluate(lookup);
}
