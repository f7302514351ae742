using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace RecoveryConsole.Orchestration.Transcript;

/// <summary>
/// Removes secrets from every line before it leaves the orchestrator (transcript, viewers, exports, logs):
/// values registered as secret (keys, tokens, passwords of connection profiles) and well-known secret shapes.
/// </summary>
public sealed partial class Redactor
{
    public const string Mask = "[REDACTED]";
    private readonly ConcurrentDictionary<string, byte> _secrets = new();

    /// <summary>Registers a value that must never appear in output (ignored when shorter than 6 characters: too many false hits).</summary>
    public void AddSecret(string? value)
    {
        if (!string.IsNullOrEmpty(value) && value.Trim().Length >= 6) _secrets.TryAdd(value.Trim(), 0);
    }

    public string Redact(string text)
    {
        if (text.Length == 0) return text;
        foreach (var secret in _secrets.Keys)
            if (text.Contains(secret, StringComparison.Ordinal)) text = text.Replace(secret, Mask, StringComparison.Ordinal);
        text = PemBlock().Replace(text, "-----BEGIN $1PRIVATE KEY-----" + Mask);
        text = KeyValue().Replace(text, m => m.Groups[1].Value + Mask);
        text = Bearer().Replace(text, "$1" + Mask);
        return text;
    }

    [GeneratedRegex(@"-----BEGIN ([A-Z ]*?)PRIVATE KEY-----.*", RegexOptions.CultureInvariant)]
    private static partial Regex PemBlock();

    // client-key-data / token / password / secret fields in YAML, JSON or key=value form.
    [GeneratedRegex(@"((?:client-key-data|client-certificate-data|token|password|passwd|secret[_-]?access[_-]?key|aws_secret_access_key|private[_-]?key)""?\s*[:=]\s*""?)(?!\[REDACTED\])[^""\s,}]{4,}",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex KeyValue();

    [GeneratedRegex(@"(Authorization:\s*Bearer\s+)\S+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Bearer();
}
