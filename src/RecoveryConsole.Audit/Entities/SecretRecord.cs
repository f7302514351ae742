namespace RecoveryConsole.Audit.Entities;

/// <summary>One secret, encrypted with ASP.NET Core Data Protection; the keys live outside the database.</summary>
public sealed class SecretRecord
{
    public required string Id { get; set; }
    /// <summary>What it is for ("ssh-key", "kubeconfig"), never its content.</summary>
    public required string Purpose { get; set; }
    public required string Protected { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
