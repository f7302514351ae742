using System.Security.Cryptography;
using RecoveryConsole.Audit.Storage;
using RecoveryConsole.Web.Hosting;

namespace RecoveryConsole.Web.Exports;

/// <summary>
/// The console's export signing key: ECDSA P-256 (Ed25519 is not in .NET 9's library) in <c>keys/export-signing.pem</c>
/// (0600), created at first use. Signatures are DER over SHA-256 of the exact bytes served, so a reviewer verifies an
/// export offline with <c>openssl dgst -sha256 -verify signing-key.pem -signature export.sig export.txt</c>.
/// </summary>
public sealed class ExportSigner : IDisposable
{
    public const string FileName = "export-signing.pem";
    public const string PublicKeyPath = "/audit/signing-key.pem";

    private readonly ECDsa _key;

    public ExportSigner(ConsoleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        OwnerOnly.CreateDirectory(options.KeysPath);
        _key = LoadOrCreate(Path.Combine(options.KeysPath, FileName));
        PublicKeyPem = _key.ExportSubjectPublicKeyInfoPem();
        Fingerprint = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(_key.ExportSubjectPublicKeyInfo()));
    }

    public string PublicKeyPem { get; }

    /// <summary>SHA-256 of the public key (SubjectPublicKeyInfo DER), printed in every export: `openssl pkey -pubin -outform DER | sha256sum`.</summary>
    public string Fingerprint { get; }

    public byte[] SignSha256(byte[] sha256) => _key.SignHash(sha256, DSASignatureFormat.Rfc3279DerSequence);

    private static ECDsa LoadOrCreate(string path)
    {
        var key = ECDsa.Create();
        if (!File.Exists(path))
        {
            key.GenerateKey(ECCurve.NamedCurves.nistP256);
            try
            {
                OwnerOnly.WriteNew(path, System.Text.Encoding.ASCII.GetBytes(key.ExportPkcs8PrivateKeyPem()));
                return key;
            }
            catch (IOException) when (File.Exists(path)) { } // another console created it first: use that one
        }
        OwnerOnly.Tighten(path);
        key.ImportFromPem(File.ReadAllText(path));
        return key;
    }

    public void Dispose() => _key.Dispose();
}
