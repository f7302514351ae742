using System.Security.Cryptography;
using System.Text;

namespace RecoveryConsole.Lab.Legacy.Ocp42;

public sealed partial class Ocp42Cluster
{
    /// <summary>Where the kubelet's pull secret is (oc adm release info --registry-config reads it).</summary>
    public const string PullSecretPath = "/var/lib/kubelet/config.json";

    /// <summary>
    /// The installer's kubeadmin password of this lab cluster (auth/kubeadmin-password): four groups of five letters and
    /// digits, derived from the cluster's name so a drill can be given it.
    /// </summary>
    public string KubeadminPassword
    {
        get
        {
            const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
            var bytes = SHA256.HashData(Encoding.UTF8.GetBytes("kubeadmin " + Cluster.Info.Name));
            var chars = bytes.Take(20).Select(b => alphabet[b % alphabet.Length]).ToArray();
            return string.Join('-', Enumerable.Range(0, 4).Select(i => new string(chars, i * 5, 5)));
        }
    }
}
