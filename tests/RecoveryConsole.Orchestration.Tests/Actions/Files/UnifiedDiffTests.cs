using System.Diagnostics;
using RecoveryConsole.Orchestration.Actions;
using RecoveryConsole.Orchestration.Actions.Files;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Tests.Actions.Files;

/// <summary>
/// The diff an approver reviews is the one GNU <c>diff -u</c> prints for the same two files (hunks, ranges, context,
/// missing final newlines), and the edited text is what the operations say: compared with the real diff binary.
/// </summary>
[Trait("Category", "Security")]
public sealed class UnifiedDiffTests : IDisposable
{
    private static readonly string Long = string.Concat(Enumerable.Range(1, 40).Select(i => $"line {i}\n"));

    private readonly string _folder = Directory.CreateTempSubdirectory("rc-diff-").FullName;

    public void Dispose() => Directory.Delete(_folder, true);

    public static TheoryData<string, string, string?, string?, string?> Edits => new()
    {
        // text, removeLinesMatching, replaceLine, with, appendLine
        { Long, "^line (3|30)$", null, null, null },                       // two hunks far apart
        { Long, "^line (3|9)$", null, null, null },                        // two changes sharing one hunk
        { Long, "", "^line 1$", "line one", "line 41" },                   // first line replaced, a line appended
        { "a\nb\nc", "", null, null, "d" },                                // appended after a last line without newline
        { "a\nb\nc", "^c$", null, null, null },                            // the unterminated last line removed
        { "a\nb\nc", "", "^c$", "z", null },                               // the unterminated last line replaced
        { "x=1\n", "^x=", null, null, null },                              // every line removed
    };

    [Theory]
    [MemberData(nameof(Edits))]
    public async Task The_rendered_diff_is_the_one_diff_u_prints(string text, string remove, string? replace, string? with, string? append)
    {
        var arguments = new Dictionary<string, string>();
        if (remove.Length > 0) arguments["removeLinesMatching"] = remove;
        if (replace is not null) { arguments["replaceLine"] = replace; arguments["with"] = with!; }
        if (append is not null) arguments["appendLine"] = append;
        var edited = LineEdits.From(new ActionContext(null!, arguments, new NoOutput(), TimeProvider.System, null)).Apply(text, "the file");

        var before = Path.Combine(_folder, "before");
        var after = Path.Combine(_folder, "after");
        await File.WriteAllTextAsync(before, text);
        await File.WriteAllTextAsync(after, edited.Text);
        var expected = await DiffAsync(before, after);

        Assert.Equal(expected, Hunks(UnifiedDiff.Render(edited.Script, "before", "after")));
    }

    [Fact]
    public void An_edit_that_changes_nothing_is_refused_in_words()
    {
        var context = new ActionContext(null!, new Dictionary<string, string> { ["replaceLine"] = "^line 2$", ["with"] = "line 2" }, new NoOutput(), TimeProvider.System, null);

        var refused = Assert.Throws<StepFailedException>(() => LineEdits.From(context).Apply(Long, "/etc/x on m0"));

        Assert.Equal("The edit changes nothing in /etc/x on m0 (every line is already as the edit would leave it): nothing was changed.", refused.Message);
    }

    /// <summary>The hunks of diff -u (its --- and +++ lines carry file times, ours the hosts and checksums).</summary>
    private static async Task<string> DiffAsync(string before, string after)
    {
        var start = new ProcessStartInfo("diff") { RedirectStandardOutput = true, ArgumentList = { "-u", before, after } };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(1, process.ExitCode); // 1: the files differ
        return Hunks(output);
    }

    private static string Hunks(string diff) => string.Concat(diff.Split('\n').Skip(2).Select(l => l + "\n")).TrimEnd('\n');

    private sealed class NoOutput : IOutputSink
    {
        public void Line(OutputStream stream, string text) { }
    }
}
