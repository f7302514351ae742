using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using RecoveryConsole.Transports.Ssh.Connection;
using RecoveryConsole.Transports.Ssh.Processes;

namespace RecoveryConsole.Transports.Ssh.Keys;

/// <summary>
/// Checks a private key with ssh-keygen and removes its passphrase, inside a private 0700 directory that is wiped
/// afterwards. The passphrase reaches ssh-keygen through SSH_ASKPASS and an environment variable (readable only by
/// this user and root), never on a command line, where every local user could read it in /proc.
/// </summary>
internal static partial class KeyInspector
{
    private const string PassphraseVariable = "RC_SSH_KEY_PASSPHRASE";
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [GeneratedRegex(@"^(?<bits>\d+) (?<fp>SHA256:[A-Za-z0-9+/]+) .*\((?<label>[A-Z0-9-]+)\)$")]
    private static partial Regex KeygenLine();

    public sealed record Unlocked(byte[] PrivateKey, string PublicKey, string Label, int Bits, string Fingerprint, bool HadPassphrase);

    public static async Task<Unlocked> UnlockAsync(string privateKey, string? passphrase, SshSettings settings, CancellationToken cancellationToken)
    {
        var text = privateKey.Replace("\r\n", "\n", StringComparison.Ordinal).Trim() + "\n"; // OpenSSH insists on the final newline
        var bytes = Encoding.UTF8.GetBytes(text);
        using var dir = PrivateDirectory.Create(settings.RuntimeDirectory);
        try
        {
            var file = dir.WriteSecretFile(PrivateDirectory.KeyFilePrefix + "import", bytes);
            // -P "" on the command line is no secret: it asks "does this key open without a passphrase?"
            var probe = await CapturedRun.RunAsync(settings.SshKeygenPath, ["-y", "-P", "", "-f", file], Limit, cancellationToken).ConfigureAwait(false);
            var hadPassphrase = false;
            if (probe.ExitCode != 0)
            {
                if (!probe.StderrText.Contains("passphrase", StringComparison.OrdinalIgnoreCase))
                    throw new SshKeyImportException($"This is not a private key ssh can read ({Sanitize(probe.StderrText, file)}).");
                if (string.IsNullOrEmpty(passphrase))
                    throw new SshKeyImportException("This key is protected by a passphrase: enter the passphrase to import it.");
                hadPassphrase = true;
                await RemovePassphraseAsync(dir, file, passphrase, settings, cancellationToken).ConfigureAwait(false);
                probe = await CapturedRun.RunAsync(settings.SshKeygenPath, ["-y", "-P", "", "-f", file], Limit, cancellationToken).ConfigureAwait(false);
                if (probe.ExitCode != 0) throw new SshKeyImportException("The key could not be read after unlocking it.");
            }
            var publicKey = probe.StdoutText.Trim();
            var pubFile = dir.WriteSecretFile("key.pub", Encoding.UTF8.GetBytes(publicKey + "\n"));
            var listing = await CapturedRun.RunAsync(settings.SshKeygenPath, ["-l", "-E", "sha256", "-f", pubFile], Limit, cancellationToken).ConfigureAwait(false);
            var m = KeygenLine().Match(listing.StdoutText.Trim());
            if (listing.ExitCode != 0 || !m.Success)
                throw new SshKeyImportException($"ssh-keygen could not fingerprint the key ({Sanitize(listing.StderrText, pubFile)}).");
            var unlocked = await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false);
            return new Unlocked(unlocked, publicKey, m.Groups["label"].Value, int.Parse(m.Groups["bits"].Value, CultureInfo.InvariantCulture),
                m.Groups["fp"].Value, hadPassphrase);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    private static async Task RemovePassphraseAsync(PrivateDirectory dir, string file, string passphrase, SshSettings settings, CancellationToken cancellationToken)
    {
        if (passphrase.Contains('\n') || passphrase.Contains('\r'))
            throw new SshKeyImportException("A passphrase cannot contain a line break.");
        var askpass = dir.WriteSecretFile("askpass", Encoding.UTF8.GetBytes($"#!/bin/sh\nprintf '%s\\n' \"${PassphraseVariable}\"\n"), executable: true);
        var environment = new Dictionary<string, string>
        {
            ["SSH_ASKPASS"] = askpass,
            ["SSH_ASKPASS_REQUIRE"] = "force", // use askpass although there is no display
            [PassphraseVariable] = passphrase,
        };
        // -N "": the new passphrase is empty; the old one comes from askpass.
        var change = await CapturedRun.RunAsync(settings.SshKeygenPath, ["-p", "-N", "", "-f", file], Limit, cancellationToken,
            environment: environment).ConfigureAwait(false);
        if (change.ExitCode != 0)
            throw new SshKeyImportException(change.StderrText.Contains("incorrect passphrase", StringComparison.OrdinalIgnoreCase)
                ? "The passphrase does not unlock this key."
                : $"ssh-keygen could not unlock the key ({Sanitize(change.StderrText, file)}).");
    }

    /// <summary>ssh-keygen's message without the temporary path (meaningless to the operator).</summary>
    private static string Sanitize(string stderr, string file)
    {
        var line = stderr.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.Length > 0) ?? "no message";
        return line.Replace(file, "the key", StringComparison.Ordinal);
    }
}
