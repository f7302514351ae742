using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
using RecoveryConsole.Web.Exports;
using RecoveryConsole.Web.Tests.Support;

namespace RecoveryConsole.Web.Tests.Exports;

/// <summary>Exports a reviewer can trust offline: signed (checked with the real openssl), and flagging a transcript edited after sealing.</summary>
[Trait("Category", "Security")]
public sealed class TamperEvidentExportTests
{
    private static readonly string[] Exports = ["transcript.txt", "transcript.json", "report.md"];

    private static async Task<(int Exit, string Output)> OpenSslVerifyAsync(string folder, string file)
    {
        var start = new ProcessStartInfo("openssl", ["dgst", "-sha256", "-verify", "signing-key.pem", "-signature", "export.sig", file])
        {
            WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var openssl = Process.Start(start)!;
        var output = await openssl.StandardOutput.ReadToEndAsync() + await openssl.StandardError.ReadToEndAsync();
        await openssl.WaitForExitAsync();
        return (openssl.ExitCode, output.Trim());
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task The_console_creates_its_database_and_keys_owner_only()
    {
        await using var console = await TestConsole.StartAsync(lab: false);
        var keys = Path.Combine(console.DataDirectory, "keys");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(console.DataDirectory));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(keys));
        _ = console.Get<ExportSigner>(); // created at first use
        foreach (var file in new[]
                 {
                     Path.Combine(console.DataDirectory, "recoveryconsole.db"), Path.Combine(console.DataDirectory, "recoveryconsole.db-wal"),
                     Path.Combine(keys, "audit-chain.key"), Path.Combine(keys, ExportSigner.FileName), Path.Combine(console.DataDirectory, "audit-anchor.log"),
                 })
            Assert.True((UnixFileMode.UserRead | UnixFileMode.UserWrite) == File.GetUnixFileMode(file), $"{file} is {File.GetUnixFileMode(file)}");
    }

    [Fact]
    public async Task Every_export_is_signed_and_openssl_verifies_it_offline_and_rejects_a_modified_copy()
    {
        await using var console = await TestConsole.StartAsync();
        var runId = await RunDriver.StartSampleAsync(console);
        await RunDriver.CompleteAsync(console, runId);
        using var vera = await ConsoleClient.SignInAsync(console, DemoUsers.Vera.Name, DemoUsers.Vera.Password);
        // The public key needs no account: a reviewer may get it from anyone.
        using var anonymous = new HttpClient { BaseAddress = console.BaseAddress };
        var publicKey = await anonymous.GetStringAsync(ExportSigner.PublicKeyPath);
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----", publicKey);

        var folder = Path.Combine(console.DataDirectory, "review");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "signing-key.pem"), publicKey);
        // The fingerprint as the README tells a reviewer to compute it: openssl pkey -pubin -outform DER | sha256sum.
        var der = Process.Start(new ProcessStartInfo("openssl", ["pkey", "-pubin", "-in", "signing-key.pem", "-outform", "DER"])
            { WorkingDirectory = folder, RedirectStandardOutput = true })!;
        using var derBytes = new MemoryStream();
        await der.StandardOutput.BaseStream.CopyToAsync(derBytes);
        await der.WaitForExitAsync();
        var expectedFingerprint = "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(derBytes.ToArray()));
        var head = await console.Get<Orchestration.Audit.IAuditLog>().HeadAsync(CancellationToken.None);
        foreach (var export in Exports)
        {
            using var response = await vera.Http.GetAsync($"/runs/{runId}/{export}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await response.Content.ReadAsByteArrayAsync();
            var signature = Convert.FromBase64String(Assert.Single(response.Headers.GetValues(SignedExport.SignatureHeader)));
            var fingerprint = Assert.Single(response.Headers.GetValues(SignedExport.KeyHeader));
            Assert.Equal(expectedFingerprint, fingerprint);
            Assert.Contains(fingerprint, System.Text.Encoding.UTF8.GetString(body)); // the export names its key
            Assert.Contains($"{head!.Hash}", System.Text.Encoding.UTF8.GetString(body)); // and the chain head
            await File.WriteAllBytesAsync(Path.Combine(folder, "export.sig"), signature);
            await File.WriteAllBytesAsync(Path.Combine(folder, export), body);

            var verified = await OpenSslVerifyAsync(folder, export);
            Assert.True(verified.Exit == 0, $"{export}: {verified.Output}");
            Assert.Equal("Verified OK", verified.Output);

            body[body.Length / 2] ^= 0x20; // one character changed anywhere
            await File.WriteAllBytesAsync(Path.Combine(folder, export), body);
            var rejected = await OpenSslVerifyAsync(folder, export);
            Assert.NotEqual(0, rejected.Exit);
            Assert.Contains("Verification failure", rejected.Output);
        }
    }

    [Fact]
    public async Task A_transcript_line_edited_after_sealing_is_named_in_every_export()
    {
        await using var console = await TestConsole.StartAsync();
        var runId = await RunDriver.StartSampleAsync(console);
        await RunDriver.CompleteAsync(console, runId);
        var sequence = await EditALineAsync(console, runId);
        using var vera = await ConsoleClient.SignInAsync(console, DemoUsers.Vera.Name, DemoUsers.Vera.Password);

        var text = await vera.Http.GetStringAsync($"/runs/{runId}/transcript.txt");
        Assert.Contains($"# Transcript: EDITED AFTER SEALING: first changed line is {sequence}", text);

        using var json = JsonDocument.Parse(await vera.Http.GetStringAsync($"/runs/{runId}/transcript.json"));
        var transcript = json.RootElement.GetProperty("integrity").GetProperty("transcript");
        Assert.Equal("EditedAfterSealing", transcript.GetProperty("state").GetString());
        Assert.Equal(sequence, transcript.GetProperty("firstChangedLine").GetInt64());

        var report = await vera.Http.GetStringAsync($"/runs/{runId}/report.md");
        Assert.Contains($"**TRANSCRIPT EDITED AFTER SEALING**: first changed line is {sequence}", report);
        Assert.DoesNotContain("the transcript still matches its seal", report);
    }

    [Fact]
    [Trait("Category", "Browser")]
    public async Task The_run_page_flags_a_transcript_edited_after_sealing_with_the_line()
    {
        await using var console = await TestConsole.StartAsync();
        var runId = await RunDriver.StartSampleAsync(console);
        await RunDriver.CompleteAsync(console, runId);
        var sequence = await EditALineAsync(console, runId);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browser.LaunchAsync(playwright);
        var vera = await Browser.SignInAsync(browser, console, DemoUsers.Vera);
        await vera.GotoAsync($"/runs/{runId}");
        await Assertions.Expect(vera.Locator("[data-testid=transcript-integrity]"))
            .ToContainTextAsync($"Transcript edited after sealing: first changed line is {sequence}", new() { Timeout = Browser.Timeout });
    }

    /// <summary>Rewrites one stored line with raw SQL on the console's real SQLite file; returns its sequence.</summary>
    private static async Task<long> EditALineAsync(TestConsole console, Guid runId)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(console.DataDirectory, "recoveryconsole.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        // A line's key is (run key << 32) + sequence (TranscriptRuns holds the run's key).
        command.CommandText = "UPDATE TranscriptLines SET Text = 'nothing unusual' WHERE Id = " +
                              "(SELECT MIN(l.Id) FROM TranscriptRuns r JOIN TranscriptLines l ON l.Id BETWEEN r.RunKey << 32 AND (r.RunKey << 32) + 4294967295 " +
                              "WHERE r.RunId = $r AND l.Text LIKE '%rehearsal only%') RETURNING Id & 4294967295";
        command.Parameters.AddWithValue("$r", runId.ToByteArray());
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
