using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using RecoveryConsole.Lab.Api;

namespace RecoveryConsole.Lab.Ocp4;

// The kubelet: its unit, its certificates in /var/lib/kubelet/pki, bootstrapping through CSRs, node registration.
public sealed partial class Ocp4Cluster
{
    public const string PkiDirectory = "/var/lib/kubelet/pki";
    internal const string CsrPath = "/apis/certificates.k8s.io/v1/certificatesigningrequests";
    internal const string ClientCaPath = "/api/v1/namespaces/openshift-kube-apiserver/configmaps/client-ca";
    internal const string CsrSignerPath = "/api/v1/namespaces/openshift-kube-controller-manager/secrets/csr-signer";
    internal const string ClientSigner = "kubernetes.io/kube-apiserver-client-kubelet";
    internal const string ServingSigner = "kubernetes.io/kubelet-serving";
    internal const string NodeBootstrapper = "system:serviceaccount:openshift-machine-config-operator:node-bootstrapper";
    private static readonly TimeSpan KubeletCertificateLifetime = TimeSpan.FromDays(30);

    private void StartKubelet(Ocp4Node node, DateTimeOffset since)
    {
        var unit = node.KubeletUnit;
        unit.Active = true;
        unit.Since = since;
        node.Kubelet.Reset();
        node.Kubelet.Client = LabCertificate.Parse(Read(node, PkiDirectory + "/kubelet-client-current.pem"));
        node.Kubelet.Serving = LabCertificate.Parse(Read(node, PkiDirectory + "/kubelet-server-current.pem"));
        Journal(node, "kubelet", "Started Kubernetes Kubelet.");
        if (node.Kubelet.Client is null)
            Journal(node, "kubelet", "I0101 bootstrap.go:101] No valid private key and/or certificate found, reusing existing private key or creating a new one");
        else if (!node.Kubelet.Client.IsValidAt(Now))
            Journal(node, "kubelet", $"I0101 bootstrap.go:85] Part of the existing bootstrap client certificate in /var/lib/kubelet/kubeconfig is expired: {LabCertificate.Stamp(node.Kubelet.Client.NotAfter)}");
    }

    internal void StopKubelet(Ocp4Node node)
    {
        var unit = node.KubeletUnit;
        if (!unit.Active) return;
        Journal(node, "kubelet", "Stopping Kubernetes Kubelet...");
        unit.Active = false;
        unit.Since = Now;
        node.Kubelet.Reset();
        Journal(node, "kubelet", "kubelet.service: Deactivated successfully.");
        Journal(node, "kubelet", "Stopped Kubernetes Kubelet.");
    }

    /// <summary>systemctl restart kubelet: running containers keep running; certificates are read again from disk.</summary>
    internal void RestartKubelet(Ocp4Node node)
    {
        StopKubelet(node);
        node.KubeletUnit.MainPid += 17;
        Journal(node, "kubelet", "Starting Kubernetes Kubelet...");
        StartKubelet(node, Now);
    }

    internal void Journal(Ocp4Node node, string unit, string text)
    {
        var journal = node.Units[unit].Journal;
        journal.Add((Now, text));
        if (journal.Count > 400) journal.RemoveRange(0, journal.Count - 400);
    }

    private static string? Read(Ocp4Node node, string path) => node.Host.FileSystem.TryReadFile(path, out var text) ? text : null;

    // ---- trust: the client CA bundle the API server uses, and the signer that issues kubelet certificates ----

    internal HashSet<string> TrustedSigners() => _pass.Trusted ??= ReadTrustedSigners();

    private HashSet<string> ReadTrustedSigners()
    {
        var bundle = (string?)Api.Get(ClientCaPath)?["data"]?["ca-bundle.crt"];
        return LabCertificate.ParseAll(bundle).Select(c => c.Subject).ToHashSet(StringComparer.Ordinal);
    }

    internal string CurrentSigner()
    {
        var encoded = (string?)Api.Get(CsrSignerPath)?["data"]?["tls.crt"];
        var pem = encoded is null ? null : Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
        return LabCertificate.Parse(pem)?.Subject ?? "CN=kube-csr-signer_@0";
    }

    /// <summary>Whether the API server accepts this kubelet's client certificate now; the reason when it does not.</summary>
    internal (bool Accepted, string? Error) KubeletCredentials(Ocp4Node node, HashSet<string>? trusted = null)
    {
        var client = node.Kubelet.Client;
        if (client is null) return (false, "no client certificate (bootstrap pending)");
        if (!client.IsValidAt(Now))
            return (false, $"x509: certificate has expired or is not yet valid: current time {LabCertificate.Stamp(Now)} is after {LabCertificate.Stamp(client.NotAfter)}");
        trusted ??= TrustedSigners();
        if (!trusted.Contains(client.Issuer))
            return (false, $"x509: certificate signed by unknown authority (possibly because of \"crypto/rsa: verification error\" while trying to verify candidate authority certificate \"{client.Issuer[3..]}\")");
        return (true, null);
    }

    /// <summary>Writes a certificate the way the kubelet's certificate manager does (dated file plus -current).</summary>
    internal void WriteKubeletCertificate(Ocp4Node node, string kind, LabCertificate certificate)
    {
        var files = node.Host.FileSystem;
        var stamp = certificate.NotBefore.UtcDateTime.ToString("yyyy-MM-dd-HH-mm-ss", CultureInfo.InvariantCulture);
        var pem = certificate.ToPemWithKey(node.Name + kind + stamp);
        files.WriteFile($"{PkiDirectory}/kubelet-{kind}-{stamp}.pem", pem);
        files.WriteFile($"{PkiDirectory}/kubelet-{kind}-current.pem", pem);
    }

    internal LabCertificate IssueKubeletCertificate(Ocp4Node node, string kind, string issuer, DateTimeOffset? notBefore = null)
    {
        var from = notBefore ?? Now;
        return new LabCertificate(kind == "client" ? $"CN=system:node:{node.Name},O=system:nodes" : $"CN=system:node:{node.Name},O=system:nodes,SAN={node.Address}",
            issuer, from, from + KubeletCertificateLifetime);
    }

    // ---- with the API reachable: bootstrap, registration, node status ----

    private bool SyncKubelets()
    {
        var changed = false;
        var trusted = TrustedSigners();
        foreach (var node in _nodes.Where(n => n.KubeletActive))
        {
            var kubelet = node.Kubelet;
            var (accepted, error) = KubeletCredentials(node, trusted);
            if (!accepted)
            {
                if (kubelet.LastApiError != error)
                {
                    kubelet.LastApiError = error;
                    if (error is not null && kubelet.Client is not null)
                        Journal(node, "kubelet", $"E0101 kubelet_node_status.go:96] \"Unable to register node with API server\" err=\"Post \\\"https://api-int.{Lab.Info.Name}.lab.example:6443/api/v1/nodes\\\": tls: failed to verify certificate: {error}\" node=\"{node.Name}\"");
                    changed = true;
                }
                // The kubelet bootstraps only without a usable certificate on disk; one that is merely distrusted stays.
                if (kubelet.Client is null || !kubelet.Client.IsValidAt(Now)) changed |= Bootstrap(node, "client");
                continue;
            }
            if (kubelet.LastApiError is not null)
            {
                kubelet.LastApiError = null;
                changed = true;
            }
            changed |= RegisterNode(node);
            var serving = kubelet.Serving;
            if (serving is null || !serving.IsValidAt(Now) || !trusted.Contains(serving.Issuer)) changed |= Bootstrap(node, "serving");
        }
        return changed;
    }

    /// <summary>Asks for a certificate with a CSR and picks it up once approved (kind "client" or "serving").</summary>
    private bool Bootstrap(Ocp4Node node, string kind)
    {
        var kubelet = node.Kubelet;
        var pending = kind == "client" ? kubelet.PendingClientCsr : kubelet.PendingServingCsr;
        if (pending is not null)
        {
            var csr = Api.Get($"{CsrPath}/{pending}");
            var conditions = csr?["status"]?["conditions"] as JsonArray;
            var approved = conditions?.OfType<JsonObject>().Any(c => (string?)c["type"] == "Approved" && (string?)c["status"] == "True") == true;
            var denied = conditions?.OfType<JsonObject>().Any(c => (string?)c["type"] is "Denied" or "Failed") == true;
            if (csr is not null && !approved && !denied) return ApproveIfNewMachine(node, csr);
            SetPending(kubelet, kind, null);
            if (csr is null || denied)
            {
                kubelet.NextCsrAttempt = After(TimeSpan.FromSeconds(30));
                Journal(node, "kubelet", $"E0101 certificate_manager.go:562] \"Certificate request was not signed\" err=\"certificate signing request {pending} is {(denied ? "denied" : "gone")}\"");
                return true;
            }
            if (csr["status"]?["certificate"] is null) return true;
            var certificate = IssueKubeletCertificate(node, kind == "client" ? "client" : "server", CurrentSigner());
            WriteKubeletCertificate(node, kind == "client" ? "client" : "server", certificate);
            if (kind == "client") kubelet.Client = certificate;
            else kubelet.Serving = certificate;
            Journal(node, "kubelet", $"I0101 csr.go:261] certificate signing request {pending} is issued");
            return true;
        }
        if (Now < kubelet.NextCsrAttempt) return false;

        var name = "csr-" + Ids.Suffix();
        var client = kind == "client";
        var request = Convert.ToBase64String(Encoding.ASCII.GetBytes(
            "-----BEGIN CERTIFICATE REQUEST-----\n" +
            Convert.ToBase64String(Encoding.UTF8.GetBytes(new JsonObject
            {
                ["subject"] = $"CN=system:node:{node.Name},O=system:nodes",
                ["sans"] = client ? new JsonArray() : new JsonArray(node.Name, node.Address),
            }.ToJsonString())) + "\n-----END CERTIFICATE REQUEST-----\n"));
        Api.Put($"{CsrPath}/{name}", new JsonObject
        {
            ["apiVersion"] = "certificates.k8s.io/v1",
            ["kind"] = "CertificateSigningRequest",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = new JsonObject
            {
                ["signerName"] = client ? ClientSigner : ServingSigner,
                ["username"] = client ? NodeBootstrapper : $"system:node:{node.Name}",
                ["groups"] = client
                    ? new JsonArray("system:serviceaccounts", "system:serviceaccounts:openshift-machine-config-operator", "system:authenticated")
                    : new JsonArray("system:nodes", "system:authenticated"),
                ["usages"] = client ? new JsonArray("digital signature", "client auth") : new JsonArray("digital signature", "server auth"),
                ["request"] = request,
            },
            ["status"] = new JsonObject(),
        });
        SetPending(kubelet, kind, name);
        Journal(node, "kubelet", $"I0101 csr.go:257] certificate signing request {name} is pending ({(client ? ClientSigner : ServingSigner)})");
        return true;
    }

    private static void SetPending(KubeletState kubelet, string kind, string? name)
    {
        if (kind == "client") kubelet.PendingClientCsr = name;
        else kubelet.PendingServingCsr = name;
    }

    /// <summary>cluster-machine-approver signs off the CSRs of a host that a new Machine brought up (IPI only).</summary>
    private bool ApproveIfNewMachine(Ocp4Node node, JsonObject csr)
    {
        if (!node.NewMachine || !IsInstallerProvisioned) return false;
        var name = (string)csr["metadata"]!["name"]!;
        var status = csr["status"] as JsonObject ?? [];
        status["conditions"] = new JsonArray(new JsonObject
        {
            ["type"] = "Approved",
            ["status"] = "True",
            ["reason"] = "NodeCSRApprove",
            ["message"] = "This CSR was approved by the Node CSR Approver (cluster-machine-approver)",
            ["lastUpdateTime"] = Conditions.Timestamp(Now),
            ["lastTransitionTime"] = Conditions.Timestamp(Now),
        });
        status["certificate"] = Convert.ToBase64String(Encoding.ASCII.GetBytes("-----BEGIN CERTIFICATE-----\nbGFi\n-----END CERTIFICATE-----\n"));
        csr["status"] = status;
        Api.Put($"{CsrPath}/{name}", csr);
        return true;
    }

    internal bool IsInstallerProvisioned => !Lab.Info.Facts.TryGetValue("platform", out var p) || p == "IPI";

    private bool RegisterNode(Ocp4Node node)
    {
        if (Api.Get($"/api/v1/nodes/{node.Name}") is not null) return false;
        Api.Put($"/api/v1/nodes/{node.Name}", NodeObject(node));
        Journal(node, "kubelet", $"I0101 kubelet_node_status.go:76] \"Successfully registered node\" node=\"{node.Name}\"");
        return true;
    }

    internal JsonObject NodeObject(Ocp4Node node)
    {
        var labels = new JsonObject
        {
            ["beta.kubernetes.io/arch"] = "amd64",
            ["beta.kubernetes.io/os"] = "linux",
            ["kubernetes.io/arch"] = "amd64",
            ["kubernetes.io/hostname"] = node.Name,
            ["kubernetes.io/os"] = "linux",
            ["node.openshift.io/os_id"] = "rhcos",
        };
        var taints = new JsonArray();
        if (node.IsControlPlane)
        {
            labels["node-role.kubernetes.io/control-plane"] = "";
            labels["node-role.kubernetes.io/master"] = "";
            taints.Add(new JsonObject { ["key"] = "node-role.kubernetes.io/master", ["effect"] = "NoSchedule" });
        }
        if (node.IsWorker) labels["node-role.kubernetes.io/worker"] = "";
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Node",
            ["metadata"] = new JsonObject { ["labels"] = labels },
            ["spec"] = new JsonObject { ["taints"] = taints },
            ["status"] = new JsonObject
            {
                ["addresses"] = new JsonArray(
                    new JsonObject { ["type"] = "InternalIP", ["address"] = node.Address },
                    new JsonObject { ["type"] = "Hostname", ["address"] = node.Name }),
                ["conditions"] = new JsonArray(ReadyCondition(true, Now)),
                ["nodeInfo"] = new JsonObject
                {
                    ["kubeletVersion"] = Release.KubeletVersion,
                    ["osImage"] = $"Red Hat Enterprise Linux CoreOS {Release.MinorVersion} (Plow)",
                    ["containerRuntimeVersion"] = Release.CrioVersion,
                    ["architecture"] = "amd64",
                    ["operatingSystem"] = "linux",
                },
            },
        };
    }

    private static JsonObject ReadyCondition(bool ready, DateTimeOffset now) => ready
        ? new JsonObject
        {
            ["type"] = "Ready",
            ["status"] = "True",
            ["reason"] = "KubeletReady",
            ["message"] = "kubelet is posting ready status",
            ["lastHeartbeatTime"] = Conditions.Timestamp(now),
            ["lastTransitionTime"] = Conditions.Timestamp(now),
        }
        : new JsonObject
        {
            ["type"] = "Ready",
            ["status"] = "Unknown",
            ["reason"] = "NodeStatusUnknown",
            ["message"] = "Kubelet stopped posting node status.",
            ["lastHeartbeatTime"] = Conditions.Timestamp(now),
            ["lastTransitionTime"] = Conditions.Timestamp(now),
        };

    /// <summary>The kubelet posts Ready; without it the node lifecycle controller marks the node Unknown (NotReady).</summary>
    internal bool KubeletPosting(Ocp4Node node, HashSet<string>? trusted = null) => node.KubeletActive && KubeletCredentials(node, trusted).Accepted;

    private bool SyncNodeStatus()
    {
        var changed = false;
        var trusted = TrustedSigners();
        foreach (var node in _nodes)
        {
            var path = $"/api/v1/nodes/{node.Name}";
            var obj = Api.Get(path);
            if (obj is null) continue;
            var ready = KubeletPosting(node, trusted);
            var status = obj["status"] as JsonObject ?? [];
            obj["status"] = status;
            var current = (status["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == "Ready");
            var wanted = ready ? "True" : "Unknown";
            if ((string?)current?["status"] == wanted) continue;
            status["conditions"] = new JsonArray(ReadyCondition(ready, Now));
            Api.Put(path, obj);
            changed = true;
        }
        return changed;
    }

    internal bool NodeReadyInApi(string nodeName)
    {
        var obj = Api.Get($"/api/v1/nodes/{nodeName}");
        return (obj?["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>()
            .Any(c => (string?)c["type"] == "Ready" && (string?)c["status"] == "True") == true;
    }
}
