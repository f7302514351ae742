using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;

namespace RecoveryConsole.Orchestration.Transcript;

/// <summary>
/// Secrets recognised by their shape, whoever's they are: private keys, AWS keys, bearer and basic credentials, JWTs,
/// OpenShift <c>sha256~</c> tokens, credential flags (<c>--token</c>, <c>--password</c>, <c>-p</c> of a login), passwords in
/// URLs, pull secrets (dockerconfigjson), kubeconfig keys and tokens, and secret-named fields in YAML, JSON or key=value
/// text. Only the secret is masked: the key name, the user, the host stay readable. Each shape is tried only when a cheap
/// substring test says it may be there, since every transcript line passes here; every repetition before a literal is
/// bounded, so a megabyte-long line costs one scan, not one per position. Before those tests, one vectorised scan for
/// all their anchors at once (<see cref="MayHoldShape"/>) lets the common line (no anchor at all) through untouched.
/// </summary>
public static partial class SecretShapes
{
    private const string Mask = Redactor.Mask;

    private static readonly string[] SecretFieldWords = ["token", "pass", "secret", "key", "auth", "dockercfg", "dockerconfigjson"];

    /// <summary>
    /// Every literal the per-shape tests of <see cref="RedactShapes"/> look for, compared ignoring case (a superset of
    /// the case-sensitive ones): a line holding none of them cannot pass any of those tests, so no shape can match it.
    /// Keep in step with those tests when a shape is added.
    /// </summary>
    private static readonly SearchValues<string> Anchors = SearchValues.Create(
        ["PRIVATE KEY", "LS0tLS1CRUdJTi", "eyJ", "sha256~", "AKIA", "ASIA", "AROA", "AIDA", "://", "earer", "uthorization",
         "--", " -p", .. SecretFieldWords],
        StringComparison.OrdinalIgnoreCase);

    /// <summary>False when no shape can be in <paramref name="text"/> (one scan); true means "look closer", not "found".</summary>
    public static bool MayHoldShape(string text) => text.AsSpan().IndexOfAny(Anchors) >= 0;

    public static string Redact(string text) => text.Length == 0 || !MayHoldShape(text) ? text : RedactShapes(text);

    /// <summary><see cref="Redact"/> without the one-scan fast path: each shape's own test, then its expression.</summary>
    public static string RedactShapes(string text)
    {
        if (text.Length == 0) return text;
        if (text.Contains("PRIVATE KEY", StringComparison.Ordinal)) text = PemInline().Replace(text, PemMasked);
        if (text.Contains("LS0tLS1CRUdJTi", StringComparison.Ordinal)) text = Base64Pem().Replace(text, Base64PemMasked);
        if (text.Contains("eyJ", StringComparison.Ordinal))
        {
            text = Jwt().Replace(text, Mask);
            text = Base64DockerConfig().Replace(text, Mask);
        }
        if (text.Contains("sha256~", StringComparison.Ordinal)) text = OpenShiftToken().Replace(text, Mask);
        if (MayHoldAwsKeyId(text)) text = AwsAccessKeyId().Replace(text, Mask);
        if (text.Contains("://", StringComparison.Ordinal)) text = UrlPassword().Replace(text, "$1" + Mask + "@");
        if (text.Contains("earer", StringComparison.OrdinalIgnoreCase)) text = Bearer().Replace(text, m => m.Groups[1].Value + Mask);
        if (text.Contains("uthorization", StringComparison.OrdinalIgnoreCase)) text = OtherAuthorization().Replace(text, m => m.Groups[1].Value + Mask);
        if (text.Contains("--", StringComparison.Ordinal)) text = SecretFlag().Replace(text, m => m.Groups[1].Value + m.Groups[2].Value + Mask);
        if (text.Contains(" -p", StringComparison.Ordinal) && LoginCommand().IsMatch(text)) text = LoginPasswordFlag().Replace(text, m => m.Groups[1].Value + Mask);
        if (text.AsSpan().IndexOfAny(':', '=') >= 0 && MayNameASecret(text)) text = SecretField().Replace(text, SecretFieldMasked);
        return text;
    }

    /// <summary>A line with a private key's BEGIN and no END after it: the key goes on over the next lines.</summary>
    public static bool OpensPrivateKey(string line)
    {
        if (!line.Contains("PRIVATE KEY", StringComparison.Ordinal)) return false;
        var begin = PemBegin().Match(line);
        return begin.Success && !line.AsSpan(begin.Index).Contains("-----END ", StringComparison.Ordinal);
    }

    // A BEGIN line on its own stays as it is (the key's lines follow, see RedactionStream); whatever follows it on the line goes.
    private static string PemMasked(Match m) =>
        !m.Groups[3].Success && string.IsNullOrWhiteSpace(m.Groups[4].Value) ? m.Value
        : $"-----BEGIN {m.Groups[1].Value}PRIVATE KEY{m.Groups[2].Value}-----{Mask}" + (m.Groups[3].Success ? m.Groups[3].Value : "");

    // base64 of a PEM block: kubeconfig client-key-data decoded nowhere, or a Secret's data. Certificates stay readable.
    private static string Base64PemMasked(Match m)
    {
        var head = m.Value[..(Math.Min(m.Value.Length, 64) / 4 * 4)];
        try { return Encoding.ASCII.GetString(Convert.FromBase64String(head)).Contains("PRIVATE KEY", StringComparison.Ordinal) ? Mask : m.Value; }
        catch (FormatException) { return m.Value; }
    }

    private static string SecretFieldMasked(Match m)
    {
        var value = m.Groups["value"];
        var inner = value.Value.Trim('"', '\'');
        // Already masked, empty, or a reference rather than a value: nothing to hide.
        if (inner.Length < 4 || inner.StartsWith('[') || inner.StartsWith("${", StringComparison.Ordinal)) return m.Value;
        var quote = value.Value.Length > 0 && value.Value[0] is '"' or '\'' ? value.Value[0].ToString() : "";
        return m.Groups["key"].Value + quote + Mask + quote;
    }

    private static bool MayNameASecret(string text)
    {
        foreach (var word in SecretFieldWords)
            if (text.Contains(word, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }

    private static bool MayHoldAwsKeyId(string text) =>
        text.Contains("AKIA", StringComparison.Ordinal) || text.Contains("ASIA", StringComparison.Ordinal)
        || text.Contains("AROA", StringComparison.Ordinal) || text.Contains("AIDA", StringComparison.Ordinal);

    [GeneratedRegex(@"-----BEGIN ([A-Z0-9 ]*?)PRIVATE KEY( BLOCK)?-----")]
    private static partial Regex PemBegin();

    // BEGIN to END on one line (a key in JSON with \n escapes), else BEGIN to the end of the line.
    [GeneratedRegex(@"-----BEGIN ([A-Z0-9 ]*?)PRIVATE KEY((?: BLOCK)?)-----(?:.*?(-----END \1PRIVATE KEY\2-----)|(.*))")]
    private static partial Regex PemInline();

    [GeneratedRegex(@"LS0tLS1CRUdJTi[A-Za-z0-9+/=]{20,}")]
    private static partial Regex Base64Pem();

    // header.payload.signature, both JSON objects base64url-encoded ("eyJ" is base64 of "{\"").
    [GeneratedRegex(@"\beyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*")]
    private static partial Regex Jwt();

    // base64 of {"auths": a whole .dockerconfigjson printed by jsonpath or base64.
    [GeneratedRegex(@"eyJhdXRocyI[A-Za-z0-9+/=]*")]
    private static partial Regex Base64DockerConfig();

    [GeneratedRegex(@"\bsha256~[A-Za-z0-9_-]{16,}")]
    private static partial Regex OpenShiftToken();

    [GeneratedRegex(@"\b(?:AKIA|ASIA|AROA|AIDA)[A-Z0-9]{16}\b")]
    private static partial Regex AwsAccessKeyId();

    // scheme://user:password@host: the password goes, the user and host stay.
    [GeneratedRegex(@"(\b[A-Za-z][A-Za-z0-9+.-]{0,30}://[^\s/:@]+:)[^\s/@]+@")]
    private static partial Regex UrlPassword();

    // "Authorization: Bearer x" and a bare "Bearer x"; "Bearer token" (a word of prose) is too short to be one.
    [GeneratedRegex(@"(\bBearer\s+)(?!\[REDACTED\])[A-Za-z0-9\-._~+/]{8,}=*", RegexOptions.IgnoreCase)]
    private static partial Regex Bearer();

    [GeneratedRegex(@"(\bAuthorization""?\s*[:=]\s*""?(?:Basic|Token|Digest|Negotiate)\s+)(?!\[REDACTED\])[^\s""]+", RegexOptions.IgnoreCase)]
    private static partial Regex OtherAuthorization();

    // --token x, --token=x, --password, --client-secret, --registry-password ... (not --password-stdin, not --token-ttl,
    // not etcd's --initial-cluster-token: a name that keeps clusters apart, printed by the documents' restore commands).
    [GeneratedRegex(@"(--(?!initial-cluster-token\b)(?:[a-z0-9]{1,30}-){0,4}(?:token|password|passwd|secret|client-key-data))(=|\s+)(?!-|\[REDACTED\])[""']?[^\s""']+[""']?", RegexOptions.IgnoreCase)]
    private static partial Regex SecretFlag();

    [GeneratedRegex(@"\b(?:oc|kubectl|docker|podman|skopeo|buildah|helm\s+registry)\s+login\b")]
    private static partial Regex LoginCommand();

    // -p PASSWORD or -p=PASSWORD of a login command (nowhere else: "mkdir -p" must stay).
    [GeneratedRegex(@"(\s-p(?:\s+|=))(?!-|\[REDACTED\])[^\s]+")]
    private static partial Regex LoginPasswordFlag();

    // A secret-named field in YAML ("token: x"), JSON ("\"auth\":\"x\"") or key=value form ("aws_secret_access_key = x"):
    // kubeconfig tokens and key data, passwords, AWS secrets and session tokens, pull-secret auths, client secrets, API keys.
    // "token" ends every token field's name (id-token, aws_session_token, SessionToken): the name's start stays as it is.
    // etcd's initial-cluster-token is no credential (see SecretFlag).
    [GeneratedRegex(@"(?<key>(?:client-key-data|client-certificate-data|(?<!initial-cluster-)token|password|passwd|secret[_-]?access[_-]?key|client[_-]?secret|private[_-]?key|api[_-]?key|\.dockerconfigjson|\.dockercfg|\bauth)[""']?\s*[:=]\s*)(?<value>""[^""]*""?|'[^']*'?|[^\s,;}""']+)",
        RegexOptions.IgnoreCase)]
    private static partial Regex SecretField();
}
