namespace RecoveryConsole.Orchestration.Clusters;

/// <summary>
/// The AWS account a cluster's cloud steps use (S3 bucket of its backups, Route53 zone of its external DNS). The secret
/// key is learnt by the redactor where the account is made and never printed: <see cref="ToString"/> leaves it out.
/// </summary>
/// <param name="Endpoint">A service URL (the lab's S3/Route53 endpoint on 127.0.0.1); null: AWS's own endpoints.</param>
public sealed record CloudAccount(string AccessKeyId, string SecretAccessKey, string Region, Uri? Endpoint = null, string? HostedZoneId = null)
{
    public override string ToString() => $"CloudAccount {{ AccessKeyId = {AccessKeyId}, SecretAccessKey = [hidden], Region = {Region}, Endpoint = {Endpoint}, HostedZoneId = {HostedZoneId} }}";
}
