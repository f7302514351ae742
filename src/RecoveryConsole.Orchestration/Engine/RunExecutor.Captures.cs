using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RecoveryConsole.Orchestration.Runs;
using RecoveryConsole.Procedures.Expectations;
using RecoveryConsole.Procedures.Model;

namespace RecoveryConsole.Orchestration.Engine;

/// <summary>Values a step captures into run variables: saved with its record before the next step runs.</summary>
internal sealed partial class RunExecutor
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(2);

    private async Task CaptureAsync(StepDefinition step, StepScope scope, StepExecution record, StepOutput output, string text,
        IReadOnlyDictionary<string, JsonNode?>? produced, IReadOnlySet<string>? secretOutputs = null)
    {
        if (step.Captures.Count == 0) return;
        var values = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        var secretNames = new List<string>();
        foreach (var capture in step.Captures)
        {
            var value = Capture(capture, text, produced);
            // A secret output (a presigned URL) lives in the run's variables only: its record keeps the mask, so neither
            // the database nor an export holds it; a resumed run forgets it (RunVariables.Rebuild) and must make it again.
            var secret = capture.Source == CaptureSource.ActionOutput && secretOutputs?.Contains(capture.Expression!) == true;
            values[capture.Name] = secret ? JsonValue.Create(Transcript.Redactor.Mask) : value;
            if (secret) secretNames.Add(capture.Name);
            Variables.Set(scope.Layer, capture.Name, value);
            output.System($"{capture.Name} = {Shown(value)}");
        }
        await MutateAsync(_ => record.RecordOutputs(RunVariables.Record(scope.Layer, values, secretNames)));
    }

    private string Shown(JsonNode? value)
    {
        var text = value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value?.ToJsonString() ?? "(none)";
        text = env.Redactor.Redact(text);
        return text.Length > 300 ? text[..299] + "…" : text;
    }

    private static JsonNode? Capture(CaptureSpec capture, string text, IReadOnlyDictionary<string, JsonNode?>? produced)
    {
        switch (capture.Source)
        {
            case CaptureSource.Output:
                return JsonValue.Create(text.Trim());
            case CaptureSource.Lines:
                return new JsonArray(text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Trim().Length > 0).Select(l => (JsonNode?)JsonValue.Create(l)).ToArray());
            case CaptureSource.ActionOutput:
                return produced is not null && produced.TryGetValue(capture.Expression!, out var v) ? v?.DeepClone()
                    : throw new StepFailedException($"The action did not produce '{capture.Expression}'.");
            case CaptureSource.Json:
                try
                {
                    using var document = JsonDocument.Parse(text);
                    var path = FieldPath.Parse(capture.Expression!);
                    if (capture.All) return new JsonArray(path.SelectAll(document.RootElement).Select(RunVariables.FromElement).ToArray());
                    return path.SelectAll(document.RootElement).FirstOrDefault() is { ValueKind: not JsonValueKind.Undefined } first
                        ? RunVariables.FromElement(first)
                        : throw new StepFailedException($"Nothing at {capture.Expression} to capture as {capture.Name}.");
                }
                catch (JsonException) { throw new StepFailedException($"The answer is not JSON, so {capture.Name} cannot be captured."); }
            default:
                var regex = new Regex(capture.Expression!, RegexOptions.Multiline, RegexTimeout);
                var matches = regex.Matches(text).ToList();
                if (capture.All) return new JsonArray(matches.Select(m => Value(regex, m)).ToArray());
                return matches.Count > 0 ? Value(regex, matches[0])
                    : throw new StepFailedException($"The output has nothing matching '{capture.Expression}' to capture as {capture.Name}.");
        }
    }

    /// <summary>Named groups make an object; otherwise group 1, or the whole match.</summary>
    private static JsonNode? Value(Regex regex, Match match)
    {
        var named = regex.GetGroupNames().Where(n => !int.TryParse(n, out _)).ToList();
        if (named.Count > 0)
            return new JsonObject(named.Select(n => KeyValuePair.Create(n, (JsonNode?)JsonValue.Create(match.Groups[n].Value.TrimEnd('\r')))));
        return JsonValue.Create((match.Groups.Count > 1 ? match.Groups[1].Value : match.Value).TrimEnd('\r'));
    }
}
