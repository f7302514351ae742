using System.Text.Json;
using RecoveryConsole.Procedures.Expectations;

namespace RecoveryConsole.Procedures.Tests.Expectations;

public sealed class FieldPathTests
{
    private const string Etcd = """
        {
          "kind": "EtcdList",
          "items": [
            {
              "metadata": { "name": "cluster", "labels": { "a.b/c": "x" } },
              "spec": { "unsupportedConfigOverrides": null, "managementState": "Managed" },
              "status": {
                "latestAvailableRevision": 7,
                "ready": true,
                "paused": false,
                "ratio": 0.5,
                "conditions": [
                  { "type": "EtcdMembersAvailable", "status": "True", "reason": "AsExpected" },
                  { "type": "NodeInstallerProgressing", "status": "False", "reason": "AllNodesAtLatestRevision",
                    "message": "3 nodes are at revision 7" }
                ],
                "nodeStatuses": [ { "nodeName": "master-0", "currentRevision": 7 }, { "nodeName": "master-1", "currentRevision": 6 } ]
              }
            }
          ]
        }
        """;

    [Theory]
    [InlineData("kind", "EtcdList")]
    [InlineData("items[0].metadata.name", "cluster")]
    [InlineData("items[0].status.latestAvailableRevision", "7")]
    [InlineData("items[0].status.ratio", "0.5")]
    [InlineData("items[0].status.ready", "true")]
    [InlineData("items[0].status.paused", "false")]
    [InlineData("items[0].status.conditions[type=NodeInstallerProgressing].reason", "AllNodesAtLatestRevision")]
    [InlineData("items[0].status.conditions[type='NodeInstallerProgressing'].message", "3 nodes are at revision 7")]
    [InlineData("items[0].status.conditions[1].type", "NodeInstallerProgressing")]
    [InlineData("items[0].status.nodeStatuses[nodeName=master-1].currentRevision", "6")]
    [InlineData("items[0].status.nodeStatuses[currentRevision=7].nodeName", "master-0")]
    [InlineData("items.length", "1")]
    [InlineData("items[0].status.conditions.length", "2")]
    [InlineData("items[0].metadata.labels", """{ "a.b/c": "x" }""")]
    [InlineData("items[0].status.nodeStatuses[0]", """{ "nodeName": "master-0", "currentRevision": 7 }""")]
    public void Selects_values_as_text(string path, string expected)
    {
        Assert.Equal(expected, FieldPath.Select(Etcd, path));
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("items[1].metadata.name")]
    [InlineData("items[0].status.conditions[type=Nope].reason")]
    [InlineData("items[0].spec.unsupportedConfigOverrides")]
    [InlineData("kind.length")]
    [InlineData("items.length.more")]
    [InlineData("items[0].metadata.name.first")]
    [InlineData("kind[0]")]
    [InlineData("items.metadata")]
    public void Missing_or_null_values_are_null(string path)
    {
        Assert.Null(FieldPath.Select(Etcd, path));
    }

    [Fact]
    public void Selects_from_an_array_at_the_root()
    {
        Assert.Equal("b", FieldPath.Select("""[{"n":"a"},{"n":"b"}]""", "[1].n"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a..b")]
    [InlineData("a.")]
    [InlineData(".a")]
    [InlineData("a[0")]
    [InlineData("a[x]")]
    [InlineData("a[=x]")]
    [InlineData("a[0]b")]
    [InlineData("a[-1]")]
    public void Rejects_malformed_paths(string path)
    {
        Assert.Throws<FormatException>(() => FieldPath.Parse(path));
    }

    [Fact]
    public void Invalid_json_throws()
    {
        Assert.ThrowsAny<JsonException>(() => FieldPath.Select("not json", "a"));
    }
}
