using System.Text;
using RecoveryConsole.Transports.Ssh.Processes;

namespace RecoveryConsole.Transports.Ssh.Tests.Processes;

public sealed class Utf8LinesTests
{
    [Theory]
    [InlineData("a\nb\n", new[] { "a", "b" })]
    [InlineData("a\nb", new[] { "a", "b" })]        // a final line without newline counts
    [InlineData("\n\n", new[] { "", "" })]
    [InlineData("", new string[0])]
    [InlineData("crlf\r\nnext\r\n", new[] { "crlf", "next" })]
    [InlineData("a\rb\n", new[] { "a\rb" })]       // a lone CR (progress bars) is content
    public async Task Splits_like_a_terminal_reader(string input, string[] expected)
    {
        Assert.Equal(expected, await ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(input))));
    }

    [Fact]
    public async Task Multibyte_characters_split_across_reads_survive()
    {
        var bytes = Encoding.UTF8.GetBytes("日本語🚀\nzweite Zeile ü\n");
        Assert.Equal(["日本語🚀", "zweite Zeile ü"], await ReadAsync(new TrickleStream(bytes)));
    }

    [Fact]
    public async Task Invalid_utf8_becomes_replacement_characters_not_an_error()
    {
        Assert.Equal(["a\uFFFDb"], await ReadAsync(new MemoryStream([(byte)'a', 0xFF, (byte)'b', (byte)'\n'])));
    }

    [Fact]
    public async Task A_runaway_line_is_delivered_in_bounded_pieces_at_character_boundaries()
    {
        var line = string.Concat(Enumerable.Repeat("é", Utf8Lines.MaxLineBytes)); // 2 bytes each
        var lines = await ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(line + "\nend")));

        Assert.Equal("end", lines[^1]);
        Assert.All(lines, l => Assert.True(Encoding.UTF8.GetByteCount(l) <= Utf8Lines.MaxLineBytes));
        Assert.Equal(line, string.Concat(lines.SkipLast(1)));
    }

    private static async Task<List<string>> ReadAsync(Stream stream)
    {
        var lines = new List<string>();
        await Utf8Lines.ReadAsync(stream, lines.Add);
        return lines;
    }

    /// <summary>Returns one byte per read, as a slow pipe might.</summary>
    private sealed class TrickleStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(1, buffer.Length)], cancellationToken);
    }
}
