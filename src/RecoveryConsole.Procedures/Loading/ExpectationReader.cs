using RecoveryConsole.Procedures.Expectations;
using RecoveryConsole.Procedures.Model;
using YamlDotNet.RepresentationModel;

namespace RecoveryConsole.Procedures.Loading;

/// <summary>Reads <c>expect:</c>, <c>until:</c> and <c>retry:</c>.</summary>
internal static class ExpectationReader
{
    private static readonly string[] Keys = ["exitCode", "outputIsEmpty", "outputMatches", "outputNotMatches", "field", "equals", "status", "count", "all", "none", "stream"];
    private static readonly string[] AggregateKeys = ["of", "field", "equals", "matches", "missing", "equals", "atLeast", "atMost"];
    private static readonly string[] RetryKeys = ["attempts", "delay"];

    /// <summary>What the expectation is about: exit codes belong to commands, HTTP statuses to API calls.</summary>
    public enum Subject { Command, Api }

    /// <summary>
    /// <c>expect:</c> of a run or api step or a check. Commands must exit 0 unless <c>exitCode</c> says
    /// otherwise (<c>exitCode: any</c> accepts every code); API calls must answer 2xx unless <c>status</c> is given.
    /// </summary>
    public static Expectation? ReadExpect(LoadContext ctx, YamlMap owner, Subject subject)
    {
        var node = owner.Get("expect");
        if (node is null)
            return subject == Subject.Command ? Expectation.Success : new Expectation();
        return Read(ctx, node, owner.Field("expect"), subject, defaultExitCode: subject == Subject.Command ? 0 : null);
    }

    /// <summary><c>until:</c> of a wait: exactly what is written, nothing implied (a grep that finds nothing exits 1).</summary>
    public static Expectation? ReadUntil(LoadContext ctx, YamlNode node, string field, Subject subject)
    {
        var until = Read(ctx, node, field, subject, defaultExitCode: null);
        if (until is not null && until == new Expectation())
        {
            ctx.Error(node, field, "'until' needs at least one condition, otherwise the wait ends at once.");
            return null;
        }
        return until;
    }

    private static Expectation? Read(LoadContext ctx, YamlNode node, string field, Subject subject, int? defaultExitCode)
    {
        var map = YamlMap.Read(ctx, node, field, Keys);
        if (map is null)
            return null;
        var errors = ctx.Errors.Count;

        int? exitCode = defaultExitCode;
        if (map.Has("exitCode"))
        {
            if (subject == Subject.Api)
                ctx.Error(map.Get("exitCode")!, map.Field("exitCode"), "exitCode applies to commands; an API call has 'status'.");
            else
                exitCode = map.String("exitCode") == "any" ? null : map.Int("exitCode", min: 0);
        }

        int? status = null;
        if (map.Has("status"))
        {
            if (subject == Subject.Command)
                ctx.Error(map.Get("status")!, map.Field("status"), "status applies to API calls; a command has 'exitCode'.");
            else
                status = map.Int("status", min: 100);
        }

        var matches = map.String("outputMatches");
        if (matches is not null)
            ctx.CheckRegex(matches, map.Get("outputMatches")!, map.Field("outputMatches"));
        var notMatches = map.String("outputNotMatches");
        if (notMatches is not null)
            ctx.CheckRegex(notMatches, map.Get("outputNotMatches")!, map.Field("outputNotMatches"));

        var fieldPath = map.String("field");
        if (fieldPath is not null)
        {
            try
            {
                FieldPath.Parse(fieldPath);
            }
            catch (FormatException ex)
            {
                ctx.Error(map.Get("field")!, map.Field("field"), ex.Message);
            }
        }
        var equals = map.String("equals");
        if (map.Has("equals") && !map.Has("field"))
            ctx.Error(map.Get("equals")!, map.Field("equals"), "'equals' needs a 'field' to compare.");

        var streams = OutputStreams.Stdout;
        if (map.String("stream") is { } stream)
        {
            if (subject == Subject.Api)
                ctx.Error(map.Get("stream")!, map.Field("stream"), "stream applies to commands; an API call answers with one body.");
            else if (Enum.TryParse<OutputStreams>(stream, ignoreCase: true, out var parsed) && !int.TryParse(stream, out _))
                streams = parsed;
            else
                ctx.Error(map.Get("stream")!, map.Field("stream"), $"stream is '{stream}'; use stdout, stderr or both.");
        }

        var aggregates = new List<AggregateCheck>();
        foreach (var (key, kind) in new[] { ("count", AggregateKind.Count), ("all", AggregateKind.All), ("none", AggregateKind.None) })
        {
            if (map.Get(key) is { } aggregateNode && ReadAggregate(ctx, aggregateNode, map.Field(key), kind) is { } aggregate)
                aggregates.Add(aggregate);
        }

        var expectation = new Expectation
        {
            Aggregates = aggregates,
            ExitCode = exitCode,
            Status = status,
            OutputIsEmpty = map.Bool("outputIsEmpty"),
            OutputMatches = matches,
            OutputNotMatches = notMatches,
            Field = fieldPath,
            FieldEquals = equals,
            Streams = streams,
        };
        return ctx.Errors.Count == errors ? expectation : null;
    }

    /// <summary>
    /// <c>count: { of, field?, equals|matches|missing, ... }</c>: for a count, <c>equals</c> without a field is the number of
    /// items (<c>count: { of: "items[status.phase=Running]", equals: 3 }</c>); with a field it compares the field.
    /// </summary>
    private static AggregateCheck? ReadAggregate(LoadContext ctx, YamlNode node, string field, AggregateKind kind)
    {
        var map = YamlMap.Read(ctx, node, field, AggregateKeys.Distinct().ToArray());
        if (map is null) return null;
        var errors = ctx.Errors.Count;
        var of = map.String("of", required: true);
        if (of is not null && of != AggregateCheck.Lines) CheckPath(ctx, map, "of", of);
        var itemField = map.String("field");
        if (itemField is not null) CheckPath(ctx, map, "field", itemField);
        var matches = map.String("matches");
        if (matches is not null) ctx.CheckRegex(matches, map.Get("matches")!, map.Field("matches"));
        var equals = map.String("equals");
        int? countEquals = null;
        if (kind == AggregateKind.Count && itemField is null && equals is not null)
        {
            countEquals = map.Int("equals", min: 0);
            equals = null;
        }
        var check = new AggregateCheck
        {
            Kind = kind, Of = of ?? "", Field = itemField, EqualsValue = equals, Matches = matches, Missing = map.Bool("missing"),
            CountEquals = countEquals, AtLeast = map.Int("atLeast", min: 0), AtMost = map.Int("atMost", min: 0),
        };
        if (kind == AggregateKind.Count && check.CountEquals is null && check.AtLeast is null && check.AtMost is null)
            ctx.Error(map.Node, field, "a count needs equals (without field), atLeast or atMost.");
        if (kind != AggregateKind.Count && check.EqualsValue is null && check.Matches is null && check.Missing is null)
            ctx.Error(map.Node, field, $"'{kind.ToString().ToLowerInvariant()}' needs a predicate: equals, matches or missing.");
        return ctx.Errors.Count == errors && of is not null ? check : null;
    }

    private static void CheckPath(LoadContext ctx, YamlMap map, string key, string path)
    {
        try { FieldPath.Parse(path); }
        catch (FormatException ex) { ctx.Error(map.Get(key)!, map.Field(key), ex.Message); }
    }

    public static RetryPolicy? ReadRetry(LoadContext ctx, YamlMap owner)
    {
        var node = owner.Get("retry");
        if (node is null)
            return RetryPolicy.None;
        var map = YamlMap.Read(ctx, node, owner.Field("retry"), RetryKeys);
        if (map is null)
            return null;
        var attempts = map.Int("attempts", min: 1);
        if (attempts is null && !map.Has("attempts"))
            ctx.Error(map.Node, map.Field("attempts"), "'attempts' is required.");
        var delay = map.Duration("delay", allowZero: true) ?? TimeSpan.Zero;
        return attempts is null ? null : new RetryPolicy(attempts.Value, delay);
    }
}
