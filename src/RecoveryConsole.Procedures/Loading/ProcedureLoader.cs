using System.Security.Cryptography;
using System.Text.RegularExpressions;
using RecoveryConsole.Procedures.Model;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace RecoveryConsole.Procedures.Loading;

/// <summary>
/// Turns one procedure file into a validated <see cref="Procedure"/>. It reads the YAML node tree (not a
/// serializer) so that every problem can name its file, line, column and field, and it reports all
/// problems at once rather than the first one.
/// </summary>
public static partial class ProcedureLoader
{
    private static readonly string[] RootKeys = ["id", "title", "summary", "source", "applies", "clusters", "parameters", "preflight", "steps"];
    private static readonly string[] SourceKeys = ["document", "section"];
    private static readonly string[] AppliesKeys = ["product", "versions"];
    private static readonly string[] CheckKeys = ["id", "title", "run", "api", "on", "forEach", "expect", "failureMessage", "when", "cluster", "onResume"];

    [GeneratedRegex("^[a-z0-9-]+$")]
    private static partial Regex IdPattern();

    public static ProcedureLoadResult Load(string path, ProcedureLoaderOptions? options = null)
    {
        byte[] content;
        try
        {
            content = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ProcedureLoadResult.Failure(path, [new ProcedureError(path, 0, 0, "", $"cannot read the file: {ex.Message}")]);
        }
        return Parse(content, path, options);
    }

    /// <summary>Parses file content; <paramref name="filePath"/> is only used in errors and <see cref="Procedure.FilePath"/>.</summary>
    public static ProcedureLoadResult Parse(byte[] content, string filePath, ProcedureLoaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        var ctx = new LoadContext(filePath, options ?? ProcedureLoaderOptions.Default);
        var hash = Convert.ToHexStringLower(SHA256.HashData(content));

        var stream = new YamlStream();
        try
        {
            using var reader = new StreamReader(new MemoryStream(content), detectEncodingFromByteOrderMarks: true);
            stream.Load(reader);
        }
        catch (YamlException ex)
        {
            // The innermost message names the actual syntax problem; outer ones only repeat the position.
            var inner = ex.InnerException as YamlException ?? ex;
            ctx.Error(ex.Start, "", $"YAML syntax error: {inner.Message}");
            return ProcedureLoadResult.Failure(filePath, ctx.Errors);
        }
        if (stream.Documents.Count != 1)
        {
            var mark = stream.Documents.Count == 0 ? Mark.Empty : stream.Documents[1].RootNode.Start;
            ctx.Error(mark, "", stream.Documents.Count == 0 ? "the file is empty." : "a procedure file holds exactly one YAML document.");
            return ProcedureLoadResult.Failure(filePath, ctx.Errors);
        }

        var root = YamlMap.Read(ctx, stream.Documents[0].RootNode, "", RootKeys);
        if (root is null)
            return ProcedureLoadResult.Failure(filePath, ctx.Errors);
        return ReadProcedure(ctx, root, filePath, hash);
    }

    private static ProcedureLoadResult ReadProcedure(LoadContext ctx, YamlMap root, string filePath, string hash)
    {
        var id = root.String("id", required: true);
        var idPosition = root.Get("id") is { } idNode ? new SourcePosition((int)idNode.Start.Line, (int)idNode.Start.Column) : null;
        if (id is not null && !IdPattern().IsMatch(id))
            ctx.Error(root.Get("id")!, "id", $"'{id}' is not a valid procedure id (lowercase letters, digits and '-').");
        var title = root.String("title", required: true);
        var summary = root.String("summary") ?? "";
        var source = ReadSource(ctx, root);
        var applies = ReadApplies(ctx, root);

        var clusters = ClusterRoleReader.ReadAll(ctx, root);
        // Parameters first: every later name check resolves against them.
        var parameters = ParameterReader.ReadAll(ctx, root);
        var preflight = ReadChecks(ctx, root);

        var stepItems = root.List("steps");
        if (stepItems.Count == 0 && root.Get("steps") is null or YamlSequenceNode or YamlScalarNode { Value: "" or "~" or "null" })
            ctx.Error(root.Get("steps") ?? root.Node, "steps", "a procedure needs at least one step.");
        var steps = StepReader.ReadList(ctx, stepItems, parentPath: "", topLevel: true, hostInScope: false);
        // Variables may be captured by any step, so references to them are checked once every step was read.
        ctx.CheckVariableReferences();

        if (ctx.Errors.Count > 0 || id is null || title is null || source is null)
            return ProcedureLoadResult.Failure(filePath, ctx.Errors, id, idPosition);

        return ProcedureLoadResult.Success(new Procedure
        {
            Id = id,
            Title = title,
            Summary = summary,
            Source = source,
            Applies = applies,
            Clusters = clusters,
            Parameters = parameters,
            Preflight = preflight,
            Steps = steps,
            FilePath = filePath,
            VersionHash = hash,
        }, idPosition);
    }

    private static SourceReference? ReadSource(LoadContext ctx, YamlMap root)
    {
        if (root.Get("source") is not { } node)
        {
            ctx.Error(root.Node, "source", "'source' is required: { document: <file>, section: <number> } of the documentation this follows.");
            return null;
        }
        var map = YamlMap.Read(ctx, node, "source", SourceKeys);
        var document = map?.String("document", required: true);
        var section = map?.String("section", required: true);
        return document is null || section is null ? null : new SourceReference(document, section);
    }

    private static Applicability ReadApplies(LoadContext ctx, YamlMap root)
    {
        if (root.Get("applies") is not { } node || YamlMap.Read(ctx, node, "applies", AppliesKeys) is not { } map)
            return new Applicability();
        return new Applicability
        {
            Product = map.String("product") ?? new Applicability().Product,
            Versions = map.String("versions") ?? "",
        };
    }

    private static List<Check> ReadChecks(LoadContext ctx, YamlMap root)
    {
        var checks = new List<Check>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (node, field) in root.List("preflight"))
        {
            var map = YamlMap.Read(ctx, node, field, CheckKeys);
            if (map is null)
                continue;
            var errors = ctx.Errors.Count;
            var id = map.String("id", required: true);
            if (id is not null && !ids.Add(id))
                ctx.Error(map.Get("id")!, map.Field("id"), $"check id '{id}' is used twice.");
            var title = map.String("title", required: true);
            var target = TargetReader.Read(ctx, map, hostInScope: false) ?? StepTarget.Cluster;
            var hostInScope = map.Has("on") || map.Has("forEach");

            Probe? probe = null;
            var subject = ExpectationReader.Subject.Command;
            if (map.Has("run") == map.Has("api"))
                ctx.Error(map.Node, field, "a check runs exactly one of 'run' or 'api'.");
            else if (map.Has("run"))
                probe = SpecReader.Command(ctx, map.Get("run")!, map.Field("run"), hostInScope) is { } c ? new Probe { Command = c } : null;
            else
            {
                subject = ExpectationReader.Subject.Api;
                probe = SpecReader.Api(ctx, map.Get("api")!, map.Field("api"), hostInScope) is { } a ? new Probe { Api = a } : null;
            }
            var expect = ExpectationReader.ReadExpect(ctx, map, subject);
            var failureMessage = map.String("failureMessage") ?? "";
            var when = map.String("when");
            if (when is not null) StepReader.CheckCondition(ctx, map, when);
            var cluster = ClusterRoleReader.Resolve(ctx, map, field, talksToApi: map.Has("api"), inherited: null);
            if (cluster is not null && !map.Has("api"))
                ctx.Error(map.Get("cluster")!, map.Field("cluster"), "'cluster' applies to api checks; commands run on the main cluster's hosts.");

            if (ctx.Errors.Count == errors && id is not null && title is not null && probe is not null && expect is not null)
                checks.Add(new Check { Id = id, Title = title, Probe = probe, Expect = expect, FailureMessage = failureMessage, Target = target, When = when, Cluster = cluster, OnResume = map.Bool("onResume") ?? true });
        }
        return checks;
    }
}
