using System.Text.Json.Nodes;
using RecoveryConsole.Orchestration.Objects;

namespace RecoveryConsole.Orchestration.Tests.Objects;

[Trait("Category", "Security")]
public sealed class ObjectTransformTests
{
    private static JsonObject Saved() => JsonNode.Parse("""
        {
          "apiVersion": "hypershift.openshift.io/v1beta1", "kind": "HostedCluster",
          "metadata": {
            "name": "hosted-1", "namespace": "clusters", "resourceVersion": "4711", "uid": "0b0c", "generation": 3,
            "creationTimestamp": "2026-12-01T00:00:00Z", "managedFields": [{ "manager": "x" }],
            "ownerReferences": [{ "kind": "Thing", "name": "t" }],
            "labels": { "app": "hc" }, "annotations": { "hypershift.openshift.io/restore": "yes" }
          },
          "spec": { "pausedUntil": "true", "release": { "image": "quay.io/x:4.16" } },
          "status": { "conditions": [] }
        }
        """)!.AsObject();

    [Fact]
    public void Strip_status_and_server_fields_leave_what_a_create_accepts()
    {
        var o = Saved();
        ObjectTransform.ApplyAll(ObjectTransform.ParseList("stripStatus; stripServerFields"), o);

        Assert.Null(o["status"]);
        var metadata = o["metadata"]!.AsObject();
        foreach (var field in new[] { "resourceVersion", "uid", "generation", "creationTimestamp", "managedFields", "ownerReferences" })
            Assert.False(metadata.ContainsKey(field), field);
        Assert.Equal("hosted-1", (string?)metadata["name"]);
        Assert.Equal("hc", (string?)metadata["labels"]!["app"]);
        Assert.Equal("quay.io/x:4.16", (string?)o["spec"]!["release"]!["image"]);
    }

    [Fact]
    public void Set_writes_json_values_text_and_creates_missing_maps()
    {
        var o = Saved();
        ObjectTransform.ApplyAll(ObjectTransform.ParseList("set spec.replicas=3\nset spec.pausedUntil=\nset metadata.labels[\"app.kubernetes.io/name\"]=moved\nset spec.platform.aws.region=us-east-1"), o);

        Assert.Equal(3, (int)o["spec"]!["replicas"]!);
        Assert.Equal("", (string?)o["spec"]!["pausedUntil"]);
        Assert.Equal("moved", (string?)o["metadata"]!["labels"]!["app.kubernetes.io/name"]);
        Assert.Equal("us-east-1", (string?)o["spec"]!["platform"]!["aws"]!["region"]);
    }

    [Fact]
    public void Remove_takes_a_field_and_ignores_one_that_is_not_there()
    {
        var o = Saved();
        ObjectTransform.ApplyAll(ObjectTransform.ParseList("remove spec.pausedUntil; remove metadata.annotations[\"hypershift.openshift.io/restore\"]; remove spec.nothing.here"), o);

        Assert.False(o["spec"]!.AsObject().ContainsKey("pausedUntil"));
        Assert.Empty(o["metadata"]!["annotations"]!.AsObject());
    }

    [Theory]
    [InlineData("strip status")]
    [InlineData("set spec.replicas")]
    [InlineData("remove")]
    [InlineData("set spec..x=1")]
    [InlineData("remove metadata.labels[app]")]
    public void A_transform_that_is_not_understood_is_refused_in_words(string text)
    {
        var e = Assert.Throws<FormatException>(() => ObjectTransform.ParseList(text));
        Assert.Contains(text.Split(' ')[0], e.Message);
    }

    [Fact]
    public void Set_through_a_field_that_is_not_a_map_is_refused()
    {
        var o = Saved();
        Assert.Throws<FormatException>(() => ObjectTransform.Parse("set metadata.name.first=x").Apply(o));
        Assert.Equal("hosted-1", (string?)o["metadata"]!["name"]);
    }
}
