namespace RecoveryConsole.Procedures.Conditions;

/// <summary>
/// Recursive descent over: or := and ('||' and)* ; and := unary ('&amp;&amp;' unary)* ;
/// unary := '!' unary | '(' or ')' | operand (('==' | '!=' | 'in') operand)? ; operand := identifier | 'string'.
/// </summary>
internal sealed class ConditionParser
{
    private readonly string text;
    private int pos;

    private ConditionParser(string text) => this.text = text;

    public static ConditionNode Parse(string text)
    {
        var parser = new ConditionParser(text);
        parser.SkipSpace();
        if (parser.AtEnd)
            throw new ConditionException("The condition is empty.", 1);
        var node = parser.ParseOr();
        parser.SkipSpace();
        if (!parser.AtEnd)
            throw parser.Error($"unexpected '{parser.text[parser.pos]}'");
        return node;
    }

    private bool AtEnd => pos >= text.Length;

    private ConditionNode ParseOr()
    {
        var left = ParseAnd();
        while (Accept("||"))
            left = new Or(left, ParseAnd());
        return left;
    }

    private ConditionNode ParseAnd()
    {
        var left = ParseUnary();
        while (Accept("&&"))
            left = new And(left, ParseUnary());
        return left;
    }

    private ConditionNode ParseUnary()
    {
        SkipSpace();
        if (Peek("!") && !Peek("!="))
        {
            pos++;
            return new Not(ParseUnary());
        }
        if (Accept("("))
        {
            var inner = ParseOr();
            if (!Accept(")"))
                throw Error("expected ')'");
            return inner;
        }
        var start = pos + 1;
        var left = ParseOperand();
        if (Accept("=="))
            return new Comparison(left, ParseOperand(), Equal: true);
        if (Accept("!="))
            return new Comparison(left, ParseOperand(), Equal: false);
        if (AcceptWord("in"))
            return new Membership(left, ParseOperand());
        if (left is StringLiteral)
            throw new ConditionException($"A string literal needs a comparison (== or !=) (at position {start}).", start);
        return left;
    }

    private ConditionNode ParseOperand()
    {
        SkipSpace();
        if (AtEnd)
            throw Error("expected a name or a 'string', found the end");
        var start = pos;
        var c = text[pos];
        if (c == '\'')
        {
            var close = text.IndexOf('\'', pos + 1);
            if (close < 0)
                throw new ConditionException($"Unterminated string starting at position {start + 1}.", start + 1);
            pos = close + 1;
            return new StringLiteral(text[(start + 1)..close]);
        }
        if (char.IsAsciiLetter(c) || c == '_')
        {
            while (!AtEnd && (char.IsAsciiLetterOrDigit(text[pos]) || text[pos] is '_' or '.'))
                pos++;
            return new Identifier(text[start..pos], start + 1);
        }
        throw Error($"expected a name or a 'string', found '{c}'");
    }

    private void SkipSpace()
    {
        while (!AtEnd && char.IsWhiteSpace(text[pos]))
            pos++;
    }

    private bool Peek(string token) => string.CompareOrdinal(text, pos, token, 0, token.Length) == 0;

    private bool Accept(string token)
    {
        SkipSpace();
        if (!Peek(token))
            return false;
        pos += token.Length;
        return true;
    }

    private bool AcceptWord(string word)
    {
        SkipSpace();
        if (!Peek(word) || (pos + word.Length < text.Length && (char.IsAsciiLetterOrDigit(text[pos + word.Length]) || text[pos + word.Length] == '_')))
            return false;
        pos += word.Length;
        return true;
    }

    private ConditionException Error(string what)
    {
        var position = Math.Min(pos, text.Length) + 1;
        return new ConditionException($"Syntax error at position {position} in '{text}': {what}.", position);
    }
}
