using System.Buffers;
using System.Collections.Concurrent;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Transcript;

/// <summary>
/// Removes secrets from every line before it leaves the orchestrator (transcript, viewers, exports, logs):
/// values registered as secret (keys, tokens, passwords of registered clusters, secret parameters) and well-known
/// secret shapes (<see cref="SecretShapes"/>). <see cref="Redact"/> handles one string on its own; <see cref="RedactLine"/>
/// also remembers, per output stream, a private key that spans several lines.
/// </summary>
public sealed class Redactor
{
    public const string Mask = "[REDACTED]";
    /// <summary>What each line inside a multi-line private key becomes (one per line, so line numbers stay).</summary>
    public const string KeyLineMask = "[redacted: private key]";
    /// <summary>Shorter values are not registered: they would mask ordinary words everywhere.</summary>
    public const int MinimumSecretLength = 6;

    private readonly ConcurrentDictionary<string, byte> _secrets = new();
    private volatile KnownSecrets _known = KnownSecrets.None;
    // Only streams inside a private key are kept: a stream's entry goes when its key ends.
    private readonly ConcurrentDictionary<(Guid Run, string Step, string Host, OutputStream Stream), RedactionStream> _openKeys = new();
    // Entries of _openKeys, kept apart: almost no line is inside a key, and then the per-line lookup is skipped.
    private int _openKeyCount;

    /// <summary>The registered values, longest first, and one vectorised search for all of them (swapped whole on change).</summary>
    private sealed record KnownSecrets(string[] LongestFirst, SearchValues<string> Any)
    {
        public static readonly KnownSecrets None = new([], SearchValues.Create(ReadOnlySpan<string>.Empty, StringComparison.Ordinal));
    }

    /// <summary>Streams currently inside a private key (bookkeeping that must go back to zero when keys end).</summary>
    public int OpenKeyStreams => Volatile.Read(ref _openKeyCount);

    /// <summary>Registers a value that must never appear in output (ignored when shorter than <see cref="MinimumSecretLength"/> characters).</summary>
    public void AddSecret(string? value)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length < MinimumSecretLength) return;
        // A multi-line value (a key file) is masked line by line: output carries it one line at a time.
        var parts = trimmed.Contains('\n') ? trimmed.Split('\n', StringSplitOptions.TrimEntries) : [trimmed];
        var added = false;
        foreach (var part in parts)
        {
            // PEM armour lines ("-----BEGIN RSA PRIVATE KEY-----") are no secret, and masking them would hide every key's frame.
            if (part.Length < MinimumSecretLength || part.StartsWith("-----", StringComparison.Ordinal)) continue;
            if (_secrets.TryAdd(part, 0)) added = true;
        }
        // Longest first: a secret that contains another is masked whole, not leaving its tail readable.
        if (!added) return;
        var longestFirst = _secrets.Keys.OrderByDescending(s => s.Length).ToArray();
        _known = new KnownSecrets(longestFirst, SearchValues.Create(longestFirst, StringComparison.Ordinal));
    }

    public string Redact(string text)
    {
        if (text.Length == 0) return text;
        // Several lines at once (a command with a here-document, a pasted note): a key in them spans lines too.
        if (text.Contains('\n') && text.Contains("PRIVATE KEY", StringComparison.Ordinal))
        {
            var stream = new RedactionStream(this);
            return string.Join('\n', text.Split('\n').Select(stream.Redact));
        }
        var known = _known;
        // One scan for all of them; only a line holding one pays for the replacements.
        if (text.AsSpan().IndexOfAny(known.Any) >= 0)
            foreach (var secret in known.LongestFirst)
                if (text.Contains(secret, StringComparison.Ordinal)) text = text.Replace(secret, Mask, StringComparison.Ordinal);
        return SecretShapes.Redact(text);
    }

    /// <summary>
    /// The run is over: a key it left open (a step that ended between BEGIN and END) is no longer followed, so nothing of
    /// the run stays here however it ended.
    /// </summary>
    public void ForgetRun(Guid runId)
    {
        foreach (var key in _openKeys.Keys)
            if (key.Run == runId && _openKeys.TryRemove(key, out _)) Interlocked.Decrement(ref _openKeyCount);
    }

    /// <summary>
    /// One line of one output stream (a run's step instance on a host, stdout or stderr): like <see cref="Redact"/>, and the
    /// lines of a private key printed between its BEGIN and END lines become <see cref="KeyLineMask"/>.
    /// </summary>
    public string RedactLine(Guid runId, string stepPath, string host, OutputStream stream, string text)
    {
        var key = (runId, stepPath, host, stream);
        if (Volatile.Read(ref _openKeyCount) > 0 && _openKeys.TryGetValue(key, out var open))
        {
            var line = open.Redact(text);
            if (!open.InsideKey && _openKeys.TryRemove(key, out _)) Interlocked.Decrement(ref _openKeyCount);
            return line;
        }
        if (!SecretShapes.OpensPrivateKey(text)) return Redact(text);
        var started = new RedactionStream(this);
        var first = started.Redact(text);
        if (started.InsideKey)
        {
            if (_openKeys.TryAdd(key, started)) Interlocked.Increment(ref _openKeyCount);
            else _openKeys[key] = started;
        }
        return first;
    }
}
