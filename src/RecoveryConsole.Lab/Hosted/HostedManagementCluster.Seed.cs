using System.Text.Json.Nodes;
using RecoveryConsole.Lab.Api;

namespace RecoveryConsole.Lab.Hosted;

// The seed: the source management cluster hosts hosted-1 (AWS platform); the destination hosts nothing yet.
public sealed partial class HostedManagementCluster
{
    internal const string Platform = "AWS";
    internal const string InfraId = "hosted-1-7xk2p";
    internal const string ReleaseImage = "quay.io/openshift-release-dev/ocp-release:4.16.12-multi";
    internal const string EtcdImage = "quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:6b1a0c5c0e8d1f0e2a44d7f2a2f1ab9d3c1b0e2f4d5c6b7a8e9f0a1b2c3d4e5f";

    private void Seed()
    {
        Put("/api/v1/namespaces/hypershift", Namespace());
        Put(OperatorPath, OperatorDeployment(externalDns: true));
        if (Name != HostedEstate.SourceName) return;

        Put($"/api/v1/namespaces/{HostedEstate.ClusterNamespace}", Namespace());
        Put($"/api/v1/namespaces/{Cp}", Namespace());
        Put($"/api/v1/namespaces/{HostedEstate.ClusterNamespace}/secrets/{HostedEstate.ClusterName}-pull-secret", Secret(".dockerconfigjson", "{\"auths\":{\"quay.io\":{\"auth\":\"bGFiOmxhYg==\"}}}", "kubernetes.io/dockerconfigjson"));
        Put($"/api/v1/namespaces/{HostedEstate.ClusterNamespace}/secrets/{HostedEstate.ClusterName}-ssh-key", Secret("id_rsa.pub", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIlab lab@example"));
        Put($"/api/v1/namespaces/{HostedEstate.ClusterNamespace}/secrets/{HostedEstate.ClusterName}-etcd-encryption-key", Secret("key", "bGFiLWVuY3J5cHRpb24ta2V5LTMyLWJ5dGVzLWxvbmctLS0tLQ=="));
        Put(Hc, HostedClusterObject(Platform));
        Put(Np, NodePoolObject());
        SeedControlPlane(HostedClusterObject(Platform), restored: false);
        SeedAws();
    }

    internal const string OperatorPath = "/apis/apps/v1/namespaces/hypershift/deployments/operator";

    /// <summary>
    /// The HyperShift operator as `hypershift install` deploys it; with external-dns (both lab management clusters by
    /// default) its arguments carry the --external-dns-* flags that document 8.6 requires for a migration.
    /// </summary>
    internal static JsonObject OperatorDeployment(bool externalDns)
    {
        var args = new JsonArray("run", "--namespace=$(MY_NAMESPACE)", "--pod-name=$(MY_NAME)", "--metrics-addr=:9000", "--enable-ocp-cluster-monitoring=false");
        if (externalDns)
            foreach (var flag in new[] { "--external-dns-provider=aws", "--external-dns-credentials=/etc/external-dns/credentials", $"--external-dns-domain-filter={HostedEstate.BaseDomain}" })
                args.Add(flag);
        return new JsonObject
        {
            ["spec"] = new JsonObject
            {
                ["replicas"] = 2,
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["name"] = "operator" } },
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["name"] = "operator" } },
                    ["spec"] = new JsonObject
                    {
                        ["containers"] = new JsonArray(new JsonObject
                        {
                            ["name"] = "operator",
                            ["image"] = "quay.io/hypershift/hypershift-operator:4.16",
                            ["command"] = new JsonArray("/usr/bin/hypershift-operator"),
                            ["args"] = args,
                        }),
                    },
                },
            },
        };
    }

    internal static JsonObject Namespace() => new() { ["spec"] = new JsonObject(), ["status"] = new JsonObject { ["phase"] = "Active" } };

    internal static JsonObject Secret(string key, string value, string type = "Opaque") => new()
    {
        ["type"] = type,
        ["data"] = new JsonObject { [key] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(value)) },
    };

    internal static JsonObject HostedClusterObject(string platform) => new()
    {
        ["apiVersion"] = "hypershift.openshift.io/v1beta1",
        ["kind"] = "HostedCluster",
        ["metadata"] = new JsonObject
        {
            ["name"] = HostedEstate.ClusterName,
            ["namespace"] = HostedEstate.ClusterNamespace,
            ["finalizers"] = new JsonArray("hypershift.openshift.io/finalizer"),
        },
        ["spec"] = new JsonObject
        {
            ["release"] = new JsonObject { ["image"] = ReleaseImage },
            ["infraID"] = InfraId,
            ["controllerAvailabilityPolicy"] = "HighlyAvailable",
            ["infrastructureAvailabilityPolicy"] = "HighlyAvailable",
            ["dns"] = new JsonObject { ["baseDomain"] = HostedEstate.BaseDomain },
            ["platform"] = new JsonObject { ["type"] = platform },
            ["pullSecret"] = new JsonObject { ["name"] = HostedEstate.ClusterName + "-pull-secret" },
            ["sshKey"] = new JsonObject { ["name"] = HostedEstate.ClusterName + "-ssh-key" },
            ["etcd"] = new JsonObject
            {
                ["managementType"] = "Managed",
                ["managed"] = new JsonObject { ["storage"] = new JsonObject { ["type"] = "PersistentVolume", ["persistentVolume"] = new JsonObject { ["size"] = "8Gi" } } },
            },
            ["services"] = new JsonArray(
                Service("APIServer", "Route"), Service("OAuthServer", "Route"), Service("Konnectivity", "Route"), Service("Ignition", "Route")),
        },
        ["status"] = new JsonObject(),
    };

    private static JsonObject Service(string name, string type) => new()
    {
        ["service"] = name,
        ["servicePublishingStrategy"] = new JsonObject { ["type"] = type, ["route"] = new JsonObject { ["hostname"] = $"{RouteHost(name)}" } },
    };

    internal static string RouteHost(string service) => service switch
    {
        "APIServer" => $"api.{HostedEstate.ClusterName}.{HostedEstate.BaseDomain}",
        "OAuthServer" => $"oauth.{HostedEstate.ClusterName}.{HostedEstate.BaseDomain}",
        "Konnectivity" => $"konnectivity.{HostedEstate.ClusterName}.{HostedEstate.BaseDomain}",
        _ => $"ignition.{HostedEstate.ClusterName}.{HostedEstate.BaseDomain}",
    };

    internal static JsonObject NodePoolObject() => new()
    {
        ["apiVersion"] = "hypershift.openshift.io/v1beta1",
        ["kind"] = "NodePool",
        ["metadata"] = new JsonObject
        {
            ["name"] = HostedEstate.ClusterName + "-workers",
            ["namespace"] = HostedEstate.ClusterNamespace,
            ["finalizers"] = new JsonArray("hypershift.openshift.io/finalizer"),
        },
        ["spec"] = new JsonObject
        {
            ["clusterName"] = HostedEstate.ClusterName,
            ["replicas"] = 2,
            ["release"] = new JsonObject { ["image"] = ReleaseImage },
            ["management"] = new JsonObject { ["upgradeType"] = "Replace" },
            ["platform"] = new JsonObject { ["type"] = "AWS", ["aws"] = new JsonObject { ["instanceType"] = "m5.xlarge" } },
        },
        ["status"] = new JsonObject(),
    };

    /// <summary>What the hypershift operator creates for a HostedCluster: the HCP, etcd, API servers, secrets, routes.</summary>
    internal void SeedControlPlane(JsonObject hc, bool restored)
    {
        var replicas = DesiredReplicas(hc);
        if (Get($"/api/v1/namespaces/{Cp}") is null) Put($"/api/v1/namespaces/{Cp}", Namespace());
        Put($"/apis/hypershift.openshift.io/v1beta1/namespaces/{Cp}/hostedcontrolplanes/{HostedEstate.ClusterName}", new JsonObject
        {
            ["apiVersion"] = "hypershift.openshift.io/v1beta1",
            ["kind"] = "HostedControlPlane",
            ["metadata"] = new JsonObject
            {
                ["name"] = HostedEstate.ClusterName,
                ["namespace"] = Cp,
                ["labels"] = new JsonObject { ["cluster.x-k8s.io/cluster-name"] = InfraId },
                ["finalizers"] = new JsonArray("hypershift.openshift.io/finalizer"),
            },
            ["spec"] = new JsonObject
            {
                ["releaseImage"] = ReleaseImage,
                ["infraID"] = InfraId,
                ["controllerAvailabilityPolicy"] = hc["spec"]?["controllerAvailabilityPolicy"]?.DeepClone(),
                ["etcd"] = hc["spec"]?["etcd"]?.DeepClone(),
                ["platform"] = hc["spec"]?["platform"]?.DeepClone(),
            },
            ["status"] = new JsonObject(),
        });
        foreach (var name in new[] { "etcd-client-tls", "etcd-server-tls", "etcd-peer-tls", "etcd-signer", "kube-apiserver-server", "admin-kubeconfig", "service-network-admin-kubeconfig" })
        {
            if (Get($"/api/v1/namespaces/{Cp}/secrets/{name}") is null) Put($"/api/v1/namespaces/{Cp}/secrets/{name}", Secret("tls.crt", $"-----BEGIN CERTIFICATE-----\nlab {name}\n-----END CERTIFICATE-----"));
        }
        if (Get(EtcdSts) is null)
        {
            Put(EtcdSts, new JsonObject
            {
                ["spec"] = new JsonObject
                {
                    ["replicas"] = replicas,
                    ["serviceName"] = "etcd-discovery",
                    ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "etcd" } },
                    ["template"] = new JsonObject
                    {
                        ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = "etcd" } },
                        ["spec"] = new JsonObject
                        {
                            ["initContainers"] = new JsonArray(new JsonObject { ["name"] = "etcd-init", ["image"] = EtcdImage }),
                            ["containers"] = new JsonArray(
                                new JsonObject { ["name"] = "etcd", ["image"] = EtcdImage, ["volumeMounts"] = new JsonArray(new JsonObject { ["name"] = "data", ["mountPath"] = "/var/lib" }) },
                                new JsonObject { ["name"] = "etcd-metrics", ["image"] = EtcdImage }),
                        },
                    },
                    ["volumeClaimTemplates"] = new JsonArray(new JsonObject { ["metadata"] = new JsonObject { ["name"] = "data" }, ["spec"] = new JsonObject { ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["storage"] = "8Gi" } } } }),
                },
            });
        }
        Put($"/api/v1/namespaces/{Cp}/services/etcd-discovery", new JsonObject { ["spec"] = new JsonObject { ["clusterIP"] = "None", ["selector"] = new JsonObject { ["app"] = "etcd" } } });
        foreach (var name in ControlPlaneDeployments)
        {
            if (Get(Deployment(name)) is not null) continue;
            Put(Deployment(name), new JsonObject
            {
                ["spec"] = new JsonObject
                {
                    ["replicas"] = name == "control-plane-operator" ? 1 : replicas,
                    ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
                    ["template"] = new JsonObject
                    {
                        ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = name } },
                        ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = name, ["image"] = ReleaseImage }) },
                    },
                },
            });
        }
        foreach (var service in new[] { "APIServer", "OAuthServer", "Konnectivity", "Ignition" })
        {
            var route = service switch { "APIServer" => "kube-apiserver", "OAuthServer" => "oauth", "Konnectivity" => "konnectivity-server", _ => "ignition-server" };
            if (Get($"/apis/route.openshift.io/v1/namespaces/{Cp}/routes/{route}") is null)
                Put($"/apis/route.openshift.io/v1/namespaces/{Cp}/routes/{route}", new JsonObject
                {
                    ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["hypershift.openshift.io/hosted-control-plane"] = Cp } },
                    ["spec"] = new JsonObject { ["host"] = RouteHost(service), ["to"] = new JsonObject { ["kind"] = "Service", ["name"] = route } },
                });
        }
        if (!restored && Name == HostedEstate.SourceName && !Volumes.ContainsKey("data-etcd-0"))
        {
            // The seed's etcd: three members of one cluster holding the hosted cluster's seed keyspace (adopted from
            // the hosted cluster's API when it first serves).
            var dataset = new EtcdDataset(Estate.NewClusterId(), new SortedDictionary<string, JsonObject>(StringComparer.Ordinal), 0) { Adopt = true };
            for (var i = 0; i < replicas; i++)
            {
                Put(Pvc($"data-etcd-{i}"), new JsonObject
                {
                    ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = "etcd" } },
                    ["spec"] = new JsonObject { ["accessModes"] = new JsonArray("ReadWriteOnce"), ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["storage"] = "8Gi" } } },
                    ["status"] = new JsonObject { ["phase"] = "Bound" },
                });
                Volumes[$"data-etcd-{i}"] = new HostedVolume { Member = new EtcdMemberData($"etcd-{i}", dataset) };
            }
        }
    }

    private void SeedAws()
    {
        const string capi = "/apis/cluster.x-k8s.io/v1beta1/namespaces/" + Cp;
        const string infra = "/apis/infrastructure.cluster.x-k8s.io/v1beta2/namespaces/" + Cp;
        Put($"{capi}/clusters/{InfraId}", new JsonObject
        {
            ["kind"] = "Cluster",
            ["metadata"] = new JsonObject { ["finalizers"] = new JsonArray("cluster.cluster.x-k8s.io") },
            ["spec"] = new JsonObject { ["infrastructureRef"] = new JsonObject { ["kind"] = "AWSCluster", ["name"] = HostedEstate.ClusterName } },
        });
        Put($"{infra}/awsclusters/{HostedEstate.ClusterName}", new JsonObject { ["kind"] = "AWSCluster", ["spec"] = new JsonObject { ["region"] = "us-east-1" } });
        Put($"{infra}/awsmachinetemplates/{HostedEstate.ClusterName}-workers", new JsonObject { ["kind"] = "AWSMachineTemplate", ["spec"] = new JsonObject { ["template"] = new JsonObject { ["spec"] = new JsonObject { ["instanceType"] = "m5.xlarge" } } } });
        Put($"{capi}/machinedeployments/{HostedEstate.ClusterName}-workers", new JsonObject { ["kind"] = "MachineDeployment", ["spec"] = new JsonObject { ["replicas"] = 2, ["clusterName"] = InfraId } });
        Put($"{capi}/machinesets/{HostedEstate.ClusterName}-workers-5f8d9", new JsonObject { ["kind"] = "MachineSet", ["spec"] = new JsonObject { ["replicas"] = 2, ["clusterName"] = InfraId } });
        for (var i = 0; i < 2; i++)
        {
            var machine = $"{HostedEstate.ClusterName}-workers-5f8d9-{(i == 0 ? "h7q2x" : "m4tzc")}";
            Put($"{capi}/machines/{machine}", new JsonObject
            {
                ["kind"] = "Machine",
                ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["cluster.x-k8s.io/cluster-name"] = InfraId }, ["finalizers"] = new JsonArray("machine.cluster.x-k8s.io") },
                ["spec"] = new JsonObject { ["clusterName"] = InfraId, ["infrastructureRef"] = new JsonObject { ["kind"] = "AWSMachine", ["name"] = machine } },
                ["status"] = new JsonObject { ["phase"] = "Running", ["nodeRef"] = new JsonObject { ["name"] = HostedGuestCluster.NodeName(i) } },
            });
            Put($"{infra}/awsmachines/{machine}", new JsonObject
            {
                ["kind"] = "AWSMachine",
                ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["cluster.x-k8s.io/cluster-name"] = InfraId }, ["finalizers"] = new JsonArray("awsmachine.infrastructure.cluster.x-k8s.io") },
                ["spec"] = new JsonObject { ["instanceID"] = $"i-0{i}5d2c8e1f3a4b6c7d", ["instanceType"] = "m5.xlarge" },
            });
        }
    }

    /// <summary>Removes the AWS objects and makes the hosted cluster an on-premises (Agent) one.</summary>
    internal void UseOnPremises()
    {
        lock (Api.SyncRoot)
        {
            foreach (var collection in new[] { "clusters", "machinedeployments", "machinesets", "machines" })
                foreach (var o in List($"/apis/cluster.x-k8s.io/v1beta1/namespaces/{Cp}/{collection}"))
                    Remove($"/apis/cluster.x-k8s.io/v1beta1/namespaces/{Cp}/{collection}/{(string?)o["metadata"]!["name"]}");
            foreach (var collection in new[] { "awsclusters", "awsmachinetemplates", "awsmachines" })
                foreach (var o in List($"/apis/infrastructure.cluster.x-k8s.io/v1beta2/namespaces/{Cp}/{collection}"))
                    Remove($"/apis/infrastructure.cluster.x-k8s.io/v1beta2/namespaces/{Cp}/{collection}/{(string?)o["metadata"]!["name"]}");
            foreach (var path in new[] { Hc, Np })
            {
                var obj = Get(path)!;
                obj["spec"]!["platform"] = new JsonObject { ["type"] = "Agent", ["agent"] = new JsonObject { ["agentNamespace"] = "hardware-inventory" } };
                Put(path, obj);
            }
            Reconcile();
        }
    }
}
