using RecoveryConsole.Orchestration.Transcript;

namespace RecoveryConsole.Orchestration.Tests.Transcript;

/// <summary>Shapes the redactor must mask, next to look-alikes that are no secret and must stay readable.</summary>
[Trait("Category", "Security")]
public sealed class SecretShapesTests
{
    [Fact]
    public void Etcds_initial_cluster_token_stays_readable_while_token_flags_and_fields_are_masked()
    {
        const string Restore = "etcdutl snapshot restore /var/lib/restored.snap.db --data-dir=/var/lib/data --skip-hash-check --name etcd-0 --initial-cluster-token=etcd-cluster --initial-cluster etcd-0=https://etcd-0.etcd-discovery.ns.svc:2380";
        Assert.Equal(Restore, SecretShapes.Redact(Restore));
        Assert.Equal("etcd --initial-cluster-token etcd-cluster-1", SecretShapes.Redact("etcd --initial-cluster-token etcd-cluster-1"));

        Assert.DoesNotContain("s3cr3t-value", SecretShapes.Redact("oc login --token=s3cr3t-value https://api:6443"));
        Assert.DoesNotContain("s3cr3t-value", SecretShapes.Redact("tool --registry-token s3cr3t-value"));
        Assert.DoesNotContain("s3cr3t-value", SecretShapes.Redact("tool --cluster-token=s3cr3t-value"));
        Assert.DoesNotContain("s3cr3t-value", SecretShapes.Redact("token=s3cr3t-value"));
        Assert.DoesNotContain("s3cr3t-value", SecretShapes.Redact("{\"token\":\"s3cr3t-value\"}"));
    }
}
