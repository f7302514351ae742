using System.Text;
using RecoveryConsole.Orchestration.Engine;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Orchestration.Actions.Files;

/// <summary>What the host file actions share: their transport, the sudo switch, a whole file read into memory as text.</summary>
internal static class HostFileArguments
{
    /// <summary>Files an action edits or writes from text are small configuration files; larger ones are refused in words.</summary>
    public const int MaxTextBytes = 8 * 1024 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static IHostFiles Files(ActionContext context) =>
        context.Files ?? throw new StepFailedException($"The transport of {context.Cluster?.Name} cannot transfer files.");

    public static bool Sudo(ActionContext context, string action) => context.Argument("sudo", "false") switch
    {
        "true" => true,
        "false" => false,
        var other => throw new StepFailedException($"{action}: sudo must be true or false, not '{other}'."),
    };

    /// <summary>The whole file, verified by the transport (its SHA-256 on the host and here agree).</summary>
    public static async Task<(byte[] Bytes, FileTransfer Transfer)> ReadAsync(IHostFiles files, HostInfo host, string path, bool sudo, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        try
        {
            var transfer = await files.ReadAsync(host, path, buffer, sudo, cancellationToken);
            return (buffer.ToArray(), transfer);
        }
        catch (ArgumentException e) { throw new StepFailedException(e.Message, inner: e); } // a relative path
    }

    /// <summary>The file as text, refused when it is too large or not UTF-8 (a binary file is not edited line by line).</summary>
    public static string Text(byte[] bytes, string where)
    {
        if (bytes.Length > MaxTextBytes)
            throw new StepFailedException($"{where} is {bytes.Length} bytes: files edited by the console are text files of at most {MaxTextBytes / (1024 * 1024)} MiB.");
        try { return StrictUtf8.GetString(bytes); }
        catch (DecoderFallbackException) { throw new StepFailedException($"{where} is not a UTF-8 text file: it cannot be edited line by line."); }
    }

    public static byte[] Bytes(string text) => StrictUtf8.GetBytes(text);
}
