using System.Security;

namespace RecoveryConsole.Lab.Cloud;

/// <summary>The error bodies and statuses of S3 (an &lt;Error&gt; document) and Route53 (an &lt;ErrorResponse&gt;).</summary>
internal static class LabCloudErrors
{
    public const string RequestId = "LAB0000000000001";

    public static string S3(string code, string message, string resource) =>
        $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{Escape(message)}</Message><Resource>{Escape(resource)}</Resource><RequestId>{RequestId}</RequestId><HostId>lab</HostId></Error>";

    public static string Route53(string code, string message) =>
        $"<?xml version=\"1.0\"?>\n<ErrorResponse xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\"><Error><Type>Sender</Type><Code>{code}</Code><Message>{Escape(message)}</Message></Error><RequestId>{RequestId}</RequestId></ErrorResponse>";

    /// <summary>The HTTP status AWS answers a code with.</summary>
    public static int StatusOf(string code) => code switch
    {
        "NoSuchBucket" or "NoSuchKey" or "NoSuchHostedZone" => 404,
        "InvalidArgument" or "AuthorizationHeaderMalformed" or "AuthorizationQueryParametersError" or "InvalidRequest" or "IncompleteBody"
            or "BadDigest" or "MalformedTrailerError" or "XAmzContentSHA256Mismatch" or "InvalidInput" => 400,
        "MethodNotAllowed" => 405,
        "NotImplemented" => 501,
        _ => 403,
    };

    public static string Escape(string text) => SecurityElement.Escape(text);
}
