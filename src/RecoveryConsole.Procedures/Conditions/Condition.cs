namespace RecoveryConsole.Procedures.Conditions;

/// <summary>
/// A parsed <c>when</c> condition such as <c>keepalived &amp;&amp; networkType == 'OVNKubernetes'</c>.
/// Names are parameters and cluster facts. A name without a value is an error, never false:
/// a step must fail visibly rather than be skipped (or run) on a guess.
/// </summary>
public sealed class Condition
{
    private readonly ConditionNode root;

    private Condition(string text, ConditionNode root, IReadOnlyList<string> identifiers)
    {
        Text = text;
        this.root = root;
        Identifiers = identifiers;
    }

    public string Text { get; }

    /// <summary>Every name the condition reads, without repeats, in order of first use.</summary>
    public IReadOnlyList<string> Identifiers { get; }

    /// <summary>Parses <paramref name="text"/>; a syntax error throws <see cref="ConditionException"/> with its position.</summary>
    public static Condition Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var root = ConditionParser.Parse(text);
        var names = new List<string>();
        Collect(root, names);
        return new Condition(text, root, names.Distinct(StringComparer.Ordinal).ToList());
    }

    public bool Evaluate(IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return root.Evaluate(id => values.TryGetValue(id.Name, out var value)
            ? value
            : throw new ConditionException(
                $"The condition '{Text}' uses '{id.Name}', which is neither a parameter nor a known cluster fact.",
                id.Position));
    }

    public override string ToString() => Text;

    private static void Collect(ConditionNode node, List<string> names)
    {
        switch (node)
        {
            case Identifier id: names.Add(id.Name); break;
            case Comparison c: Collect(c.Left, names); Collect(c.Right, names); break;
            case Membership m: Collect(m.Left, names); Collect(m.Right, names); break;
            case Not n: Collect(n.Operand, names); break;
            case And a: Collect(a.Left, names); Collect(a.Right, names); break;
            case Or o: Collect(o.Left, names); Collect(o.Right, names); break;
        }
    }
}
