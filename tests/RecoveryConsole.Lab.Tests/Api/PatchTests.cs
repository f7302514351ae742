using System.Text.Json.Nodes;
using RecoveryConsole.Lab.Api;

namespace RecoveryConsole.Lab.Tests.Api;

[Trait("Category", "Lab")]
public sealed class PatchTests
{
    private const string Cm = "/api/v1/namespaces/default/configmaps/patched";
    private readonly ApiHarness _api = new();

    public PatchTests()
    {
        var cm = ApiHarness.ConfigMap("patched");
        cm["data"] = JsonNode.Parse("""{"keep":"1","drop":"2","nested":{"a":"x","b":"y"}}""");
        cm["spec"] = JsonNode.Parse("""{"list":[1,2,3]}""");
        _api.Api.Put(Cm, cm);
    }

    [Fact]
    public async Task Merge_patch_deletes_with_null_merges_objects_and_replaces_lists()
    {
        var (status, body) = await _api.MergePatchAsync(Cm, """{"data":{"drop":null,"nested":{"b":null,"c":"z"},"new":"3"},"spec":{"list":[9]}}""");
        Assert.Equal(200, status);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"keep":"1","nested":{"a":"x","c":"z"},"new":"3"}"""), body["data"]), body["data"]!.ToJsonString());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("[9]"), body["spec"]!["list"]));
    }

    [Fact]
    public void Merge_patch_follows_rfc_7386_examples()
    {
        var target = JsonNode.Parse("""{"a":"b","c":{"d":"e","f":"g"}}""");
        var result = JsonMergePatch.Apply(target, JsonNode.Parse("""{"a":"z","c":{"f":null}}"""));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"a":"z","c":{"d":"e"}}"""), result));

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"a":{"bb":{}}}"""),
            JsonMergePatch.Apply(JsonNode.Parse("""{"a":"foo"}"""), JsonNode.Parse("""{"a":{"bb":{"ccc":null}}}"""))));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("[\"c\"]"),
            JsonMergePatch.Apply(JsonNode.Parse("""{"a":"b"}"""), JsonNode.Parse("[\"c\"]"))));
    }

    [Fact]
    public async Task Json_patch_adds_removes_and_replaces()
    {
        var ops = JsonNode.Parse("""
            [
              {"op":"add","path":"/data/added","value":"a"},
              {"op":"remove","path":"/data/drop"},
              {"op":"replace","path":"/data/keep","value":"replaced"},
              {"op":"add","path":"/spec/list/1","value":7},
              {"op":"add","path":"/spec/list/-","value":8},
              {"op":"add","path":"/metadata/labels","value":{"a~b/c":"1"}},
              {"op":"test","path":"/metadata/labels/a~0b~1c","value":"1"}
            ]
            """);
        var (status, body) = await _api.SendAsync("PATCH", Cm, ops, "application/json-patch+json");
        Assert.Equal(200, status);
        Assert.Equal("a", (string?)body["data"]!["added"]);
        Assert.Null(body["data"]!["drop"]);
        Assert.Equal("replaced", (string?)body["data"]!["keep"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("[1,7,2,3,8]"), body["spec"]!["list"]));
    }

    [Theory]
    [InlineData("""[{"op":"remove","path":"/data/missing"}]""")]
    [InlineData("""[{"op":"replace","path":"/nope/x","value":1}]""")]
    [InlineData("""[{"op":"test","path":"/data/keep","value":"2"}]""")]
    public async Task A_json_patch_that_cannot_apply_is_422_and_changes_nothing(string patch)
    {
        var before = _api.Api.Get(Cm)!;
        var (status, body) = await _api.SendAsync("PATCH", Cm, JsonNode.Parse(patch), "application/json-patch+json");
        Assert.Equal(422, status);
        Assert.Equal("Invalid", (string?)body["reason"]);
        Assert.True(JsonNode.DeepEquals(before, _api.Api.Get(Cm)));
    }

    [Fact]
    public async Task Patch_with_a_stale_resource_version_conflicts()
    {
        var (status, body) = await _api.MergePatchAsync(Cm, """{"metadata":{"resourceVersion":"1"},"data":{"keep":"x"}}""");
        Assert.Equal(409, status);
        Assert.Equal("Conflict", (string?)body["reason"]);
    }

    [Fact]
    public async Task Strategic_merge_is_refused_for_custom_resources_and_unknown_types_are_415()
    {
        var (status, _) = await _api.SendAsync("PATCH", "/apis/operator.openshift.io/v1/etcds/cluster",
            JsonNode.Parse("""{"spec":{"logLevel":"Debug"}}"""), "application/strategic-merge-patch+json");
        Assert.Equal(415, status);
        var (xmlStatus, body) = await _api.SendAsync("PATCH", Cm, JsonNode.Parse("{}"), "application/xml");
        Assert.Equal(415, xmlStatus);
        Assert.Equal("UnsupportedMediaType", (string?)body["reason"]);

        var (builtIn, patched) = await _api.SendAsync("PATCH", Cm, JsonNode.Parse("""{"data":{"keep":"s"}}"""), "application/strategic-merge-patch+json");
        Assert.Equal(200, builtIn);
        Assert.Equal("s", (string?)patched["data"]!["keep"]);
    }
}
