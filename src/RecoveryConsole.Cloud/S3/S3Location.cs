using RecoveryConsole.Orchestration.Actions;
using RecoveryConsole.Orchestration.Engine;

namespace RecoveryConsole.Cloud.S3;

/// <summary>The bucket and key a step names, checked before any request: S3's own rules, said in words.</summary>
internal readonly record struct S3Location(string Bucket, string Key)
{
    public string Url => $"s3://{Bucket}/{Key}";

    public static S3Location Of(ActionContext context)
    {
        var bucket = context.RequiredArgument("bucket").Trim();
        var key = context.RequiredArgument("key").Trim().TrimStart('/');
        if (bucket.Length is < 3 or > 63 || bucket.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.')))
            throw new StepFailedException($"'{bucket}' is not an S3 bucket name (3 to 63 characters: lower-case letters, digits, '-' and '.').");
        if (key.Length == 0 || key.Length > 1024)
            throw new StepFailedException("The object key must have 1 to 1024 characters.");
        return new S3Location(bucket, key);
    }
}
