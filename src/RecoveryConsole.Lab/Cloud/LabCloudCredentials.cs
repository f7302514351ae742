using System.Security.Cryptography;

namespace RecoveryConsole.Lab.Cloud;

/// <summary>
/// The access key pair of a lab estate's AWS account, made at random per estate (never a constant a test or a
/// transcript could lean on). The region is the one the documents use.
/// </summary>
public sealed class LabCloudCredentials
{
    public const string Region = "us-east-1";

    private LabCloudCredentials(string accessKeyId, string secretAccessKey)
    {
        AccessKeyId = accessKeyId;
        SecretAccessKey = secretAccessKey;
    }

    public string AccessKeyId { get; }
    public string SecretAccessKey { get; }

    public static LabCloudCredentials Generate() =>
        new("AKIA" + RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16),
            RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 40));

    /// <summary>Never the secret: a credential printed by accident must not show it.</summary>
    public override string ToString() => $"{AccessKeyId} (secret hidden)";
}
