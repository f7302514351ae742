using RecoveryConsole.Orchestration.Transcript;
using RecoveryConsole.Orchestration.Transports;
using RecoveryConsole.Web.Runs;

namespace RecoveryConsole.Web.Tests.Runs;

public sealed class TranscriptWhereTests
{
    [Theory]
    [InlineData("restore-etcd", "master-1", "restore-etcd@master-1")]
    [InlineData("stop-etcd[master-1]/move-manifest", "master-1", "move-manifest@master-1")]
    [InlineData("stop-etcd[master-2]", "master-2", "stop-etcd@master-2")]
    [InlineData("backup/verify", "", "verify")]
    [InlineData("", "master-3", "master-3")]
    [InlineData("", "", "run")]
    public void The_column_shows_the_steps_own_name_at_the_host_and_the_title_the_full_path(string path, string host, string label)
    {
        var line = new TranscriptLine(Guid.NewGuid(), 1, path, host, OutputStream.Stdout, DateTimeOffset.UnixEpoch, "x");
        Assert.Equal(label, TranscriptWhere.Label(line));
        Assert.Equal(RecoveryConsole.Web.Exports.TranscriptExport.Where(line), TranscriptWhere.Full(line));
    }

    [Fact]
    public void A_highlight_marks_every_occurrence_case_insensitively_and_keeps_the_rest_as_text()
    {
        Assert.Equal([("member ", false), ("ETCD", true), ("-1 <b> ", false), ("etcd", true)],
            TranscriptHighlight.Split("member ETCD-1 <b> etcd", "etcd"));
        Assert.Equal([("plain", false)], TranscriptHighlight.Split("plain", "zzz"));
        Assert.Equal([("plain", false)], TranscriptHighlight.Split("plain", null));
    }
}
