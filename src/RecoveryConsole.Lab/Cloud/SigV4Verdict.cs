namespace RecoveryConsole.Lab.Cloud;

/// <summary>
/// What the verifier decided about a request: refused with AWS's error code and message, or accepted with what the
/// body still needs (its declared payload hash, and for signed chunks the key, scope and seed signature).
/// </summary>
internal sealed record SigV4Verdict(string? Code, string? Message, string PayloadHash, SigV4ChunkContext? Chunks)
{
    public bool Accepted => Code is null;

    public static SigV4Verdict Refuse(string code, string message) => new(code, message, "", null);

    public static SigV4Verdict Accept(string payloadHash, SigV4ChunkContext? chunks) => new(null, null, payloadHash, chunks);
}

/// <summary>What the signature of each aws-chunked chunk chains from.</summary>
internal sealed record SigV4ChunkContext(byte[] SigningKey, string AmzDate, string Scope, string SeedSignature);
