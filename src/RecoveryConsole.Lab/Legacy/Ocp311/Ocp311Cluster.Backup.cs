using RecoveryConsole.Lab.Hosts;
using RecoveryConsole.Orchestration.Transports;

namespace RecoveryConsole.Lab.Legacy.Ocp311;

/// <summary>One static pod of a master as the API lists it (its mirror pod): master-etcd-master-0.example.com.</summary>
public sealed record Ocp311StaticPod(string Name, string Container, LabHost Host)
{
    public bool Running => Host.Reachable;
}

// What the backups of 5.2.1.1 and 5.2.1.2 find on the hosts: the files the document lists (certificates, docker and
// dnsmasq configuration, anchors), the etcd static pod whose liveness probe names the member's client URL (the
// document reads the endpoint with grep https | cut -d '/' -f3), and the mirror pods oc lists in kube-system.
public sealed partial class Ocp311Cluster
{
    private static readonly (string File, string Prefix, string Container)[] StaticPodFiles =
        [("apiserver.yaml", "master-api", "api"), ("controller.yaml", "master-controllers", "controllers"), ("etcd.yaml", "master-etcd", "etcd")];

    private DateTimeOffset _installedAt;

    /// <summary>When the cluster was installed (the age oc shows for its static pods).</summary>
    public DateTimeOffset InstalledAt
    {
        get { lock (Sync) return _installedAt; }
    }

    /// <summary>The mirror pods of the masters' static pods (kube-system), in the order oc sorts them (by name).</summary>
    public IReadOnlyList<Ocp311StaticPod> StaticPods
    {
        get
        {
            lock (Sync)
            {
                return Masters
                    .SelectMany(h => StaticPodFiles.Where(p => h.FileSystem.FileExists($"{PodsDirectory}/{p.File}"))
                        .Select(p => new Ocp311StaticPod($"{p.Prefix}-{Fqdn(h.Name)}", p.Container, h)))
                    .OrderBy(p => p.Name, StringComparer.Ordinal)
                    .ToList();
            }
        }
    }

    /// <summary>The etcd static pod of 3.11 (openshift-ansible's etcd.yaml): etcd.conf sourced, probed on its client URL.</summary>
    internal static string EtcdPodManifest(LabHost host) =>
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: master-etcd\n  namespace: kube-system\n  labels:\n    openshift.io/control-plane: \"true\"\n    openshift.io/component: etcd\n" +
        "  annotations:\n    scheduler.alpha.kubernetes.io/critical-pod: ''\nspec:\n  restartPolicy: Always\n  hostNetwork: true\n  containers:\n  - name: etcd\n" +
        "    image: registry.redhat.io/rhel7/etcd:3.2.26\n    workingDir: /var/lib/etcd\n    command: [\"/bin/sh\", \"-c\"]\n    args:\n    - |\n      #!/bin/sh\n" +
        "      set -o allexport\n      source /etc/etcd/etcd.conf\n      exec etcd\n    securityContext:\n      privileged: true\n    volumeMounts:\n" +
        "     - mountPath: /etc/etcd/\n       name: master-config\n       readOnly: true\n     - mountPath: /var/lib/etcd/\n       name: master-data\n" +
        "    livenessProbe:\n      exec:\n        command:\n        - etcdctl\n        - --cert-file\n        - /etc/etcd/peer.crt\n        - --key-file\n        - /etc/etcd/peer.key\n" +
        $"        - --ca-file\n        - /etc/etcd/ca.crt\n        - -C\n        - https://{host.Address}:2379\n        - cluster-health\n      initialDelaySeconds: 45\n" +
        "  volumes:\n  - name: master-config\n    hostPath:\n      path: /etc/etcd/\n  - name: master-data\n    hostPath:\n      path: /var/lib/etcd\n";

    /// <summary>The files of 5.2.1.1's lists that the generic seed lacks (called by Seed for every host).</summary>
    private void SeedBackupFiles(LabHost host)
    {
        _installedAt = Cluster.Clock.UtcNow - TimeSpan.FromDays(3);
        var fs = host.FileSystem;
        fs.WriteFile("/etc/sysconfig/docker-storage-setup", "STORAGE_DRIVER=overlay2\nCONTAINER_ROOT_LV_NAME=dockerlv\nCONTAINER_ROOT_LV_MOUNT_PATH=/var/lib/docker\n");
        fs.WriteFile("/etc/sysconfig/docker-storage-setup.rpmnew", "STORAGE_DRIVER=overlay2\n");
        fs.WriteFile("/etc/pki/ca-trust/source/anchors/registry-ca.crt", "-----BEGIN CERTIFICATE-----\n(registry ca)\n-----END CERTIFICATE-----\n");
        var isMaster = host.Roles.Contains(HostRoles.ControlPlane);
        if (!isMaster && !host.Roles.Contains(HostRoles.Worker)) return;

        fs.WriteFile("/etc/dnsmasq.d/origin-dns.conf", "no-resolv\ndomain-needed\nno-negcache\nmax-cache-ttl=1\nenable-dbus\ndns-forward-max=10000\ncache-size=10000\nbind-dynamic\n");
        fs.WriteFile("/etc/dnsmasq.d/origin-upstream-dns.conf", "server=192.0.2.53\n");
        fs.WriteFile("/etc/dnsmasq.d/node-dnsmasq.conf", "server=/in-addr.arpa/127.0.0.1\nserver=/cluster.local/127.0.0.1\n");
        var node = $"system:node:{Fqdn(host.Name)}";
        foreach (var f in new[] { $"{node}.crt", $"{node}.key", $"{node}.kubeconfig", "server.crt", "server.key", "node-dnsmasq.conf", "resolv.conf" })
            fs.WriteFile($"/etc/origin/node/{f}", $"({f})\n");
        if (!isMaster) return;

        foreach (var f in new[]
                 {
                     "ca-bundle.crt", "master.proxy-client.crt", "master.proxy-client.key", "service-signer.crt", "service-signer.key",
                     "serviceaccounts.private.key", "serviceaccounts.public.key", "openshift-master.crt", "openshift-master.key",
                     "openshift-master.kubeconfig", "master.server.crt", "master.server.key", "master.kubelet-client.crt",
                     "master.kubelet-client.key", "admin.crt", "admin.key", "etcd.server.crt", "etcd.server.key", "master.etcd-client.csr",
                     "policy.json", "scheduler.json", "htpasswd", "session-secrets.yaml", "openshift-router.crt", "openshift-router.key",
                     "registry.crt", "registry.key",
                 })
            fs.WriteFile($"/etc/origin/master/{f}", $"({f})\n");
        fs.WriteFile("/etc/origin/cloudprovider/openstack.conf", "[Global]\nauth-url = https://keystone.example.com:5000/v3\n");
        fs.WriteFile($"/etc/origin/generated-configs/master-{Fqdn(host.Name)}/master.server.crt", "(master.server.crt)\n");
        fs.WriteFile("/etc/sysconfig/atomic-openshift-master-api", "OPTIONS=--loglevel=2\n");
        fs.WriteFile("/etc/sysconfig/atomic-openshift-master-controllers", "OPTIONS=--loglevel=2\n");
        // root's kubeconfig holds system:admin's client certificate: what "oc login -u system:admin" uses on a master.
        fs.WriteFile("/root/.kube/config", $"apiVersion: v1\nclusters:\n- cluster:\n    server: https://{Fqdn(host.Name)}:8443\n  name: {Fqdn(host.Name).Replace('.', '-')}:8443\nusers:\n- name: system:admin/{Fqdn(host.Name).Replace('.', '-')}:8443\n");
    }
}
