using System.Text.RegularExpressions;

namespace RecoveryConsole.Orchestration.Transcript;

/// <summary>
/// Redaction of one output stream, line after line: a line that opens a private key (<c>-----BEGIN ... PRIVATE KEY-----</c>
/// with no END on it) starts masking; every key line after it becomes <see cref="Redactor.KeyLineMask"/> until the END
/// line. A line that cannot be part of a key (not base64, not a PEM header) ends the masking too, so a key cut off
/// half-way does not hide the rest of the step's output.
/// </summary>
public sealed partial class RedactionStream(Redactor redactor)
{
    private readonly Lock _gate = new();

    public bool InsideKey { get; private set; }

    public string Redact(string line)
    {
        lock (_gate)
        {
            if (InsideKey)
            {
                var end = PemEnd().Match(line);
                if (end.Success)
                {
                    InsideKey = false;
                    var before = line[..end.Index];
                    var indent = before[..(before.Length - before.TrimStart().Length)];
                    var after = redactor.Redact(line[(end.Index + end.Length)..]);
                    return indent + (before.Trim().Length == 0 ? "" : Redactor.KeyLineMask + " ") + end.Value + after;
                }
                if (KeyBody().IsMatch(line)) return Redactor.KeyLineMask;
                InsideKey = false;
            }
            InsideKey = SecretShapes.OpensPrivateKey(line);
            return redactor.Redact(line);
        }
    }

    [GeneratedRegex(@"-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----", RegexOptions.CultureInvariant)]
    private static partial Regex PemEnd();

    // Base64 lines (possibly indented, as in YAML) and the RFC 1421 headers of encrypted keys ("Proc-Type: 4,ENCRYPTED", "DEK-Info: ...").
    [GeneratedRegex(@"^\s*(?:[A-Za-z0-9+/=]*|(?:Proc-Type|DEK-Info|Comment):\s.*)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyBody();
}
