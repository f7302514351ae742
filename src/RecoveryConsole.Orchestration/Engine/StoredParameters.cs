using RecoveryConsole.Orchestration.Transcript;
using RecoveryConsole.Procedures.Model;

namespace RecoveryConsole.Orchestration.Engine;

/// <summary>
/// A run's parameters as the store and the audit keep them: secret parameters masked whole, and secret-shaped text or
/// known secret values in the other parameters (a token pasted into a text field) redacted. The run itself uses the
/// values as given, in memory only.
/// </summary>
public static class StoredParameters
{
    public const string SecretMask = "[secret]";

    public static Dictionary<string, string> Masked(Procedure procedure, IReadOnlyDictionary<string, string> values, Redactor redactor) =>
        values.ToDictionary(kv => kv.Key, kv =>
            kv.Value.Length == 0 ? kv.Value
            : procedure.Parameters.Any(p => p.Name == kv.Key && p.Secret) ? SecretMask
            : redactor.Redact(kv.Value));

    /// <summary>A stored value that lost part of itself to redaction: it cannot be used again and must be entered again.</summary>
    public static bool WasRedacted(string stored) =>
        stored == SecretMask || stored.Contains(Redactor.Mask, StringComparison.Ordinal) || stored.Contains(Redactor.KeyLineMask, StringComparison.Ordinal);
}
