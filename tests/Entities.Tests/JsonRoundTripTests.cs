using System.Text.Json.Nodes;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using k8s;
using k8s.Models;

namespace EksOperator.Entities.Tests;

/// <summary>The entity types through KubernetesClient's own serializer: what the operator sends and reads.</summary>
public sealed class JsonRoundTripTests
{
    private const string ClusterJson = """
        {
          "apiVersion": "eks.operator.dev/v1alpha1",
          "kind": "EksCluster",
          "metadata": {"name": "demo", "namespace": "default", "uid": "u-1", "generation": 3},
          "spec": {
            "version": "1.33",
            "vpc": {"subnetSelector": {"tags": {"kubernetes.io/role/internal-elb": "1"}}, "endpointPublicAccess": true},
            "logging": ["api", "controllerManager"],
            "kubernetesNetwork": {"serviceIpv4Cidr": "172.20.0.0/16", "ipFamily": "ipv4"},
            "access": {"authenticationMode": "API_AND_CONFIG_MAP"},
            "upgradePolicy": {"supportType": "EXTENDED"},
            "kubeconfig": {"mode": "Token", "argoCd": true},
            "deletionPolicy": "Retain",
            "managementPolicy": "ObserveOnly",
            "tags": {"team": "platform"}
          },
          "status": {
            "observedGeneration": 3,
            "conditions": [{"type": "Ready", "status": "True", "reason": "Available", "message": "", "lastTransitionTime": "2026-11-29T10:00:00Z", "observedGeneration": 3}],
            "awsStatus": "ACTIVE",
            "upgrade": {"from": "1.31", "to": "1.33", "step": "1.32", "phase": "NodeGroups"},
            "drift": [{"field": "spec.logging", "desired": "[api]", "actual": "[]"}]
          }
        }
        """;

    [Fact]
    public void Cluster_reads_enums_in_the_eks_api_spelling()
    {
        var cluster = KubernetesJson.Deserialize<EksCluster>(ClusterJson);
        Assert.Equal("1.33", cluster.Spec.Version);
        Assert.Equal([LogType.Api, LogType.ControllerManager], cluster.Spec.Logging);
        Assert.Equal(IpFamily.Ipv4, cluster.Spec.KubernetesNetwork!.IpFamily);
        Assert.Equal("172.20.0.0/16", cluster.Spec.KubernetesNetwork.ServiceIpv4Cidr);
        Assert.Equal(AuthenticationMode.ApiAndConfigMap, cluster.Spec.Access!.AuthenticationMode);
        Assert.Equal(SupportType.Extended, cluster.Spec.UpgradePolicy!.SupportType);
        Assert.Equal(KubeconfigMode.Token, cluster.Spec.Kubeconfig!.Mode);
        Assert.Equal(DeletionPolicy.Retain, cluster.Spec.DeletionPolicy);
        Assert.Equal(ManagementPolicy.ObserveOnly, cluster.Spec.ManagementPolicy);
        Assert.Equal("1", cluster.Spec.Vpc.SubnetSelector!.Tags["kubernetes.io/role/internal-elb"]);
        Assert.Equal(UpgradePhase.NodeGroups, cluster.Status!.Upgrade!.Phase);
        Assert.Equal("True", Assert.Single(cluster.Status.Conditions!).Status);
        Assert.Equal(3, cluster.Status.ObservedGeneration);
    }

    [Fact]
    public void Cluster_round_trips_to_the_same_json()
    {
        var cluster = KubernetesJson.Deserialize<EksCluster>(ClusterJson);
        var written = JsonNode.Parse(KubernetesJson.Serialize(cluster))!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(ClusterJson), written), written.ToJsonString());
    }

    [Fact]
    public void Nulls_are_omitted_and_names_are_camel_case()
    {
        var cluster = new EksCluster
        {
            Metadata = new V1ObjectMeta { Name = "x" },
            Spec = new EksClusterSpec { Vpc = new ClusterVpc { SubnetIds = ["subnet-1"] }, DeletionProtection = false },
        };
        var json = JsonNode.Parse(KubernetesJson.Serialize(cluster))!.AsObject();
        Assert.Equal(OperatorApi.ApiVersion, (string?)json["apiVersion"]);
        Assert.Equal("EksCluster", (string?)json["kind"]);
        Assert.False(json.ContainsKey("status"));
        var spec = json["spec"]!.AsObject();
        Assert.Equal(["vpc", "deletionProtection"], spec.Select(p => p.Key));
        Assert.Equal(["subnetIds"], spec["vpc"]!.AsObject().Select(p => p.Key));
        Assert.False((bool)spec["deletionProtection"]!);
    }

    [Fact]
    public void Node_group_writes_taints_capacity_and_ami_as_aws_spells_them()
    {
        var nodeGroup = new ManagedNodeGroup
        {
            Metadata = new V1ObjectMeta { Name = "ng" },
            Spec = new ManagedNodeGroupSpec
            {
                ClusterRef = new ClusterReference { Name = "demo" },
                Scaling = new NodeGroupScaling { MinSize = 0, MaxSize = 3 },
                CapacityType = CapacityType.OnDemand,
                AmiType = AmiType.Al2023X8664Standard,
                DesiredSizeManagedBy = DesiredSizeManagedBy.External,
                Taints = [new Taint { Key = "dedicated", Value = "gpu", Effect = TaintEffect.PreferNoSchedule }],
                UpdateConfig = new NodeGroupUpdateConfig { MaxUnavailablePercentage = 25 },
            },
        };
        var spec = JsonNode.Parse(KubernetesJson.Serialize(nodeGroup))!["spec"]!;
        Assert.Equal("ON_DEMAND", (string?)spec["capacityType"]);
        Assert.Equal("AL2023_x86_64_STANDARD", (string?)spec["amiType"]);
        Assert.Equal("External", (string?)spec["desiredSizeManagedBy"]);
        Assert.Equal("PREFER_NO_SCHEDULE", (string?)spec["taints"]![0]!["effect"]);
        Assert.Equal(0, (int)spec["scaling"]!["minSize"]!);
        Assert.Null(spec["scaling"]!["desiredSize"]);
        Assert.Equal(25, (int)spec["updateConfig"]!["maxUnavailablePercentage"]!);

        var back = KubernetesJson.Deserialize<ManagedNodeGroup>(KubernetesJson.Serialize(nodeGroup));
        Assert.Equal(nodeGroup.Spec.Taints, back.Spec.Taints);
        Assert.Equal(nodeGroup.Spec.Scaling, back.Spec.Scaling);
    }

    [Fact]
    public void Fargate_profile_round_trips_selectors_and_strategy()
    {
        const string json = """
            {"apiVersion":"eks.operator.dev/v1alpha1","kind":"FargateProfile","metadata":{"name":"fp"},
             "spec":{"clusterRef":{"name":"demo"},"subnetIds":["subnet-1"],"selectors":[{"namespace":"jobs","labels":{"a":"b"}}],"updateStrategy":"Replace"},
             "status":{"profileName":"fp-1a2b3c4d","replacedProfileName":"fp"}}
            """;
        var profile = KubernetesJson.Deserialize<FargateProfile>(json);
        Assert.Equal(FargateUpdateStrategy.Replace, profile.Spec.UpdateStrategy);
        Assert.Equal("b", profile.Spec.Selectors[0].Labels!["a"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), JsonNode.Parse(KubernetesJson.Serialize(profile))));
    }

    [Fact]
    public void Unknown_enum_values_are_rejected_rather_than_guessed()
    {
        var bad = ClusterJson.Replace("\"Retain\"", "\"Orphan\"", StringComparison.Ordinal);
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => KubernetesJson.Deserialize<EksCluster>(bad));
    }

    [Fact]
    public void Common_views_expose_the_shared_spec_and_create_status_on_demand()
    {
        IEksResource resource = new ManagedNodeGroup();
        Assert.Null(((ManagedNodeGroup)resource).Status);
        resource.EnsureStatus().AwsStatus = "CREATING";
        Assert.Equal("CREATING", ((ManagedNodeGroup)resource).Status!.AwsStatus);
        Assert.Null(resource.CommonSpec.DeletionPolicy);
    }

    [Fact]
    public void Reading_the_common_status_never_creates_one()
    {
        // Readers see the informer's shared objects: a getter that created the status would change the cache.
        IEksResource[] resources = [new EksCluster(), new ManagedNodeGroup(), new FargateProfile(), new Addon(), new AccessEntry(), new PodIdentityAssociation(), new Capability()];
        foreach (var resource in resources)
        {
            Assert.Null(resource.CommonStatus);
            Assert.Null(resource.CommonStatus?.Conditions);
            Assert.DoesNotContain("\"status\"", KubernetesJson.Serialize(resource), StringComparison.Ordinal);
        }

        Assert.Null(((EksCluster)resources[0]).Status);
        Assert.Null(((ManagedNodeGroup)resources[1]).Status);
        Assert.Null(((FargateProfile)resources[2]).Status);
    }

    [Fact]
    public void A_capability_writes_EKS_enum_spellings_and_reads_them_back()
    {
        var capability = new Capability
        {
            Spec = new CapabilitySpec
            {
                ClusterRef = new ClusterReference { Name = "c1" },
                Type = CapabilityType.ArgoCd,
                DeletePropagation = CapabilityDeletePropagation.Retain,
                Configuration = new CapabilityConfiguration
                {
                    ArgoCd = new ArgoCdConfiguration
                    {
                        AwsIdc = new ArgoCdAwsIdc { IdcInstanceArn = "arn:aws:sso:::instance/ssoins-1" },
                        RbacRoleMappings = [new ArgoCdRoleMapping { Role = ArgoCdRole.Viewer, Identities = [new SsoIdentity { Id = "g1", Type = SsoIdentityType.Group }] }],
                    },
                },
            },
        };

        var json = KubernetesJson.Serialize(capability);

        Assert.Contains("\"type\":\"ARGOCD\"", json, StringComparison.Ordinal);
        Assert.Contains("\"deletePropagation\":\"RETAIN\"", json, StringComparison.Ordinal);
        Assert.Contains("\"role\":\"VIEWER\",\"identities\":[{\"id\":\"g1\",\"type\":\"SSO_GROUP\"}]", json, StringComparison.Ordinal);
        var back = KubernetesJson.Deserialize<Capability>(json);
        Assert.Equal(CapabilityType.ArgoCd, back.Spec.Type);
        Assert.Equal(SsoIdentityType.Group, back.Spec.Configuration!.ArgoCd!.RbacRoleMappings![0].Identities[0].Type);
    }
}
