using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace RecoveryConsole.Lab.Scenarios;

/// <summary>
/// The scenarios the lab knows: YAML files embedded in this assembly (Scenarios/Data/*.yaml), plus any added at run
/// time (<see cref="Load"/>). Adding a scenario is adding a file; adding a new kind of fault is one
/// <see cref="ILabFaultHandler"/>.
/// </summary>
public sealed class LabScenarioCatalog
{
    private const string ResourcePrefix = "RecoveryConsole.Lab.Scenarios.";
    private readonly Dictionary<string, LabScenario> _scenarios = new(StringComparer.Ordinal);

    public static LabScenarioCatalog Default { get; } = FromAssembly();

    public IReadOnlyList<LabScenario> All => _scenarios.Values.OrderBy(s => s.Id, StringComparer.Ordinal).ToList();

    public LabScenario? Find(string id) => _scenarios.GetValueOrDefault(id);

    public static LabScenarioCatalog FromAssembly()
    {
        var catalog = new LabScenarioCatalog();
        var assembly = typeof(LabScenarioCatalog).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".yaml", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            catalog.Add(Parse(reader.ReadToEnd(), name[ResourcePrefix.Length..]));
        }
        return catalog;
    }

    /// <summary>Adds a scenario from YAML text (tests, or scenarios kept outside the assembly).</summary>
    public LabScenario Load(string yaml, string source = "scenario.yaml")
    {
        var scenario = Parse(yaml, source);
        Add(scenario);
        return scenario;
    }

    private void Add(LabScenario scenario)
    {
        if (!_scenarios.TryAdd(scenario.Id, scenario)) throw new LabScenarioException($"scenario id '{scenario.Id}' is defined twice");
    }

    public static LabScenario Parse(string yaml, string source)
    {
        YamlMappingNode root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            root = stream.Documents.FirstOrDefault()?.RootNode as YamlMappingNode
                   ?? throw new LabScenarioException($"{source}: the file must be a YAML mapping");
        }
        catch (YamlException e)
        {
            throw new LabScenarioException($"{source}({e.Start.Line},{e.Start.Column}): {e.Message}", e);
        }
        var json = (JsonObject)ToJson(root)!;
        string Required(string field) => (string?)json[field] is { Length: > 0 } value ? value : throw new LabScenarioException($"{source}: '{field}' is required");

        var faults = new List<LabFault>();
        if (json["faults"] is JsonArray list)
        {
            var index = 0;
            foreach (var item in list)
            {
                if (item is not JsonObject fault || (string?)fault["type"] is not { Length: > 0 } type)
                    throw new LabScenarioException($"{source}: faults[{index}] needs a 'type'");
                var parameters = (JsonObject)fault.DeepClone();
                parameters.Remove("type");
                faults.Add(new LabFault(type, parameters));
                index++;
            }
        }
        LabScenarioProcedure? procedure = null;
        if (json["procedure"] is JsonObject p)
            procedure = new LabScenarioProcedure((string?)p["document"] ?? "", (string?)p["section"] ?? "", (string?)p["title"] ?? "");
        return new LabScenario
        {
            Id = Required("id"),
            Title = Required("title"),
            Model = Required("model"),
            Summary = (string?)json["summary"] ?? "",
            Description = ((string?)json["description"] ?? "").Trim(),
            Procedure = procedure,
            LastResort = json["lastResort"] is JsonValue v && v.TryGetValue<bool>(out var b) && b,
            RecoveryHost = (string?)json["recoveryHost"],
            Faults = faults,
            StagedOn = json["stagedOn"] switch
            {
                JsonArray names => names.Select(n => (string?)n ?? "").Where(n => n.Length > 0).ToList(),
                JsonValue one when one.TryGetValue<string>(out var name) => [name],
                null => [],
                _ => throw new LabScenarioException($"{source}: 'stagedOn' must list lab cluster names"),
            },
        };
    }

    /// <summary>YAML to JSON: scalars that look like numbers or booleans become those (plain style only), null stays null.</summary>
    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(kv => KeyValuePair.Create(((YamlScalarNode)kv.Key).Value ?? "", ToJson(kv.Value)))),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(ToJson).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => null,
    };

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain) return JsonValue.Create(value);
        if (value is "null" or "~" or "") return null;
        if (value is "true" or "false") return JsonValue.Create(value == "true");
        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)) return JsonValue.Create(number);
        return JsonValue.Create(value);
    }
}
