using System.Security.Cryptography;
using RecoveryConsole.Audit.Storage;

namespace RecoveryConsole.Web.Exports;

/// <summary>
/// Serves an export with its signature: the body is written to an owner-only temporary file (a 100,000-line transcript
/// never sits in memory), hashed, signed, and then sent with the signature (base64 DER) and the chain head in headers.
/// </summary>
public static class SignedExport
{
    public const string SignatureHeader = "X-RecoveryConsole-Signature";
    public const string KeyHeader = "X-RecoveryConsole-Signing-Key";
    public const string ChainHeadHeader = "X-RecoveryConsole-Chain-Head";

    public static async Task SendAsync(HttpContext http, ExportSigner signer, ExportEvidence evidence, string contentType, string fileName,
        Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetTempPath(), $"rc-export-{Guid.NewGuid():N}");
        var options = OwnerOnly.Options(FileMode.CreateNew, FileShare.None);
        options.Access = FileAccess.ReadWrite;
        options.Options = FileOptions.DeleteOnClose | FileOptions.Asynchronous;
        await using var file = new FileStream(path, options);
        await write(file, cancellationToken);
        await file.FlushAsync(cancellationToken);
        file.Position = 0;
        var hash = await SHA256.HashDataAsync(file, cancellationToken);
        file.Position = 0;

        http.Response.ContentType = contentType;
        // Shown in the browser when opened, saved under a telling name when downloaded.
        http.Response.Headers.ContentDisposition = $"inline; filename=\"{fileName}\"";
        http.Response.Headers[SignatureHeader] = Convert.ToBase64String(signer.SignSha256(hash));
        http.Response.Headers[KeyHeader] = signer.Fingerprint;
        http.Response.Headers[ChainHeadHeader] = evidence.HeadText;
        http.Response.ContentLength = file.Length;
        await file.CopyToAsync(http.Response.Body, cancellationToken);
    }
}
