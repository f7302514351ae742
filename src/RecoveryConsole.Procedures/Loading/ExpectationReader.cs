using RecoveryConsole.Procedures.Expectations;
using RecoveryConsole.Procedures.Model;
using YamlDotNet.RepresentationModel;

namespace RecoveryConsole.Procedures.Loading;

/// <summary>Reads <c>expect:</c>, <c>until:</c> and <c>retry:</c>.</summary>
internal static class ExpectationReader
{
    private static readonly string[] Keys = ["exitCode", "outputIsEmpty", "outputMatches", "outputNotMatches", "field", "equals", "status"];
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

        var expectation = new Expectation
        {
            ExitCode = exitCode,
            Status = status,
            OutputIsEmpty = map.Bool("outputIsEmpty"),
            OutputMatches = matches,
            OutputNotMatches = notMatches,
            Field = fieldPath,
            FieldEquals = equals,
        };
        return ctx.Errors.Count == errors ? expectation : null;
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
