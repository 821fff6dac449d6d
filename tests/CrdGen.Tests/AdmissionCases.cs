using System.Text.Json.Nodes;

namespace CrdGen.Tests;

/// <summary>
/// A manifest the API must refuse. <see cref="Before"/> set means an update from that state; <see cref="Constraint"/>
/// names what refuses it ("rule", or a schema keyword such as "pattern"), so a test can remove exactly that constraint.
/// </summary>
public sealed record BadCase(string Id, string Kind, Action<JsonObject> Change, string Field, string Fragment, string Constraint, Action<JsonObject>? Before = null, bool IsUpdate = false)
{
    public bool Updates => IsUpdate || Before is not null;

    public override string ToString() => Id;
}

/// <summary>A manifest (or a change) the API must accept.</summary>
public sealed record GoodCase(string Id, string Kind, Action<JsonObject> Change, Action<JsonObject>? Before = null, bool IsUpdate = false)
{
    public override string ToString() => Id;
}

internal static class AdmissionCases
{
    private const string Cluster = "EksCluster";
    private const string NodeGroup = "ManagedNodeGroup";
    private const string Fargate = "FargateProfile";
    private const string Addon = "Addon";
    private const string Access = "AccessEntry";
    private const string Pia = "PodIdentityAssociation";
    private const string Cap = "Capability";
    private const string Id = "AwsIdentity";
    private static readonly Action<JsonObject> Same = _ => { };

    private static JsonNode S(JsonObject o) => o["spec"]!;

    private static JsonArray Strings(params string[] values) => new([.. values.Select(v => (JsonNode)v)]);

    private static JsonNode Json(string text) => JsonNode.Parse(text)!;

    public static readonly BadCase[] Bad =
    [
        // EksCluster: create
        new("cluster-no-spec", Cluster, o => o.Remove("spec"), "spec", "Required value", "required"),
        new("cluster-no-vpc", Cluster, o => S(o).AsObject().Remove("vpc"), "spec.vpc", "Required value", "required"),
        new("cluster-name-too-long", Cluster, o => S(o)["name"] = new string('a', 101), "spec.name", "Too long", "maxLength"),
        new("cluster-name-pattern", Cluster, o => S(o)["name"] = "-bad", "spec.name", "should match", "pattern"),
        new("cluster-version-letters", Cluster, o => S(o)["version"] = "1.3a", "spec.version", "should match", "pattern"),
        new("cluster-version-major-only", Cluster, o => S(o)["version"] = "2", "spec.version", "should match", "pattern"),
        new("cluster-version-number", Cluster, o => S(o)["version"] = 1.33, "spec.version", "must be of type string", "type"),
        new("cluster-role-arn-format", Cluster, o => S(o)["roleArn"] = "my-role", "spec.roleArn", "should match", "pattern"),
        new("cluster-region-format", Cluster, o => S(o)["region"] = "mars", "spec.region", "should match", "pattern"),
        new("cluster-subnets-and-selector", Cluster, o => S(o)["vpc"]!["subnetSelector"] = Json("""{"tags":{"a":"b"}}"""), "spec.vpc", "exactly one of subnetIds or subnetSelector", "rule"),
        new("cluster-no-subnets", Cluster, o => S(o)["vpc"]!.AsObject().Remove("subnetIds"), "spec.vpc", "exactly one of subnetIds or subnetSelector", "rule"),
        new("cluster-one-subnet", Cluster, o => S(o)["vpc"]!["subnetIds"] = Strings("subnet-0a000000000000011"), "spec.vpc.subnetIds", "should have at least 2 items", "minItems"),
        new("cluster-subnet-id-format", Cluster, o => S(o)["vpc"]!["subnetIds"]![0] = "subnet-XYZ", "spec.vpc.subnetIds[0]", "should match", "pattern"),
        new("cluster-subnet-duplicate", Cluster, o => S(o)["vpc"]!["subnetIds"] = Strings("subnet-0a000000000000011", "subnet-0a000000000000011"), "spec.vpc.subnetIds[1]", "Duplicate value", "x-kubernetes-list-type"),
        new("cluster-selector-no-tags", Cluster, o => S(o)["vpc"] = Json("""{"subnetSelector":{"tags":{}}}"""), "spec.vpc.subnetSelector.tags", "at least one tag", "rule"),
        new("cluster-five-security-groups", Cluster, o => S(o)["vpc"]!["securityGroupIds"] = Strings("sg-00000001", "sg-00000002", "sg-00000003", "sg-00000004", "sg-00000005"), "spec.vpc.securityGroupIds", "must have at most 4 items", "maxItems"),
        new("cluster-public-cidr-format", Cluster, o => S(o)["vpc"]!["publicAccessCidrs"] = Strings("10.0.0.0"), "spec.vpc.publicAccessCidrs[0]", "should match", "pattern"),
        new("cluster-endpoint-access-string", Cluster, o => S(o)["vpc"]!["endpointPublicAccess"] = "yes", "spec.vpc.endpointPublicAccess", "must be of type boolean", "type"),
        new("cluster-log-type-unknown", Cluster, o => S(o)["logging"] = Strings("api", "kubelet"), "spec.logging[1]", "Unsupported value: \"kubelet\"", "enum"),
        new("cluster-ip-family-unknown", Cluster, o => S(o)["kubernetesNetwork"] = Json("""{"ipFamily":"ipv5"}"""), "spec.kubernetesNetwork.ipFamily", "Unsupported value", "enum"),
        new("cluster-service-cidr-format", Cluster, o => S(o)["kubernetesNetwork"] = Json("""{"serviceIpv4Cidr":"172.20.0.0"}"""), "spec.kubernetesNetwork.serviceIpv4Cidr", "should match", "pattern"),
        new("cluster-kms-arn-format", Cluster, o => S(o)["encryption"] = Json("""{"kmsKeyArn":"key-1"}"""), "spec.encryption.kmsKeyArn", "should match", "pattern"),
        new("cluster-support-type-unknown", Cluster, o => S(o)["upgradePolicy"] = Json("""{"supportType":"FOREVER"}"""), "spec.upgradePolicy.supportType", "Unsupported value", "enum"),
        new("cluster-kubeconfig-mode-unknown", Cluster, o => S(o)["kubeconfig"] = Json("""{"mode":"Password"}"""), "spec.kubeconfig.mode", "Unsupported value", "enum"),
        new("cluster-kubeconfig-secret-name", Cluster, o => S(o)["kubeconfig"] = Json("""{"secretName":"Bad_Name"}"""), "spec.kubeconfig.secretName", "should match", "pattern"),
        new("cluster-reserved-owner-tag", Cluster, o => S(o)["tags"] = Json("""{"eks.operator.dev/owner-uid":"x"}"""), "spec.tags", "are reserved", "rule"),
        new("cluster-reserved-aws-tag", Cluster, o => S(o)["tags"] = Json("""{"aws:cloudformation":"x"}"""), "spec.tags", "are reserved", "rule"),
        new("cluster-tag-value-too-long", Cluster, o => S(o)["tags"] = new JsonObject { ["k"] = new string('v', 257) }, "spec.tags", "values must be at most 256", "rule"),
        new("cluster-deletion-policy-unknown", Cluster, o => S(o)["deletionPolicy"] = "Orphan", "spec.deletionPolicy", "Unsupported value", "enum"),
        new("cluster-management-policy-unknown", Cluster, o => S(o)["managementPolicy"] = "ReadOnly", "spec.managementPolicy", "Unsupported value", "enum"),

        // EksCluster: update
        new("cluster-version-removed", Cluster, o => S(o).AsObject().Remove("version"), "spec.version", "cannot be removed once set", "rule", Same),
        new("cluster-name-changed", Cluster, o => S(o)["name"] = "other", "spec.name", "spec.name is immutable", "rule", o => S(o)["name"] = "first"),
        new("cluster-name-added", Cluster, o => S(o)["name"] = "late", "spec.name", "cannot be added or removed after creation", "rule", Same),
        new("cluster-region-changed", Cluster, o => S(o)["region"] = "eu-west-1", "spec.region", "spec.region is immutable", "rule", o => S(o)["region"] = "us-west-2"),
        new("cluster-role-changed", Cluster, o => S(o)["roleArn"] = "arn:aws:iam::123456789012:role/b", "spec.roleArn", "spec.roleArn is immutable", "rule", o => S(o)["roleArn"] = "arn:aws:iam::123456789012:role/a"),
        new("cluster-subnets-changed", Cluster, o => S(o)["vpc"]!["subnetIds"] = Strings("subnet-0a000000000000011", "subnet-0a000000000000013"), "spec.vpc.subnetIds", "spec.vpc.subnetIds is immutable", "rule", Same),
        new("cluster-subnets-to-selector", Cluster, o => S(o)["vpc"] = Json("""{"subnetSelector":{"tags":{"a":"b"}}}"""), "spec.vpc.subnetIds", "spec.vpc.subnetIds cannot be removed", "rule", Same),
        new("cluster-selector-to-subnets", Cluster, o => S(o)["vpc"] = Json("""{"subnetIds":["subnet-0a000000000000011","subnet-0a000000000000012"]}"""), "spec.vpc.subnetSelector", "spec.vpc.subnetSelector cannot be removed", "rule", o => S(o)["vpc"] = Json("""{"subnetSelector":{"tags":{"a":"b"}}}""")),
        new("cluster-selector-changed", Cluster, o => S(o)["vpc"]!["subnetSelector"]!["tags"]!["a"] = "c", "spec.vpc.subnetSelector", "spec.vpc.subnetSelector is immutable", "rule", o => S(o)["vpc"] = Json("""{"subnetSelector":{"tags":{"a":"b"}}}""")),
        new("cluster-region-added", Cluster, o => S(o)["region"] = "us-west-2", "spec.region", "spec.region cannot be added or removed after creation", "rule", Same),
        new("cluster-role-removed", Cluster, o => S(o).AsObject().Remove("roleArn"), "spec.roleArn", "spec.roleArn cannot be added or removed after creation", "rule", o => S(o)["roleArn"] = "arn:aws:iam::123456789012:role/a"),
        new("cluster-network-added", Cluster, o => S(o)["kubernetesNetwork"] = Json("""{"ipFamily":"ipv4"}"""), "spec.kubernetesNetwork", "spec.kubernetesNetwork cannot be added or removed after creation", "rule", Same),
        new("cluster-bootstrap-admin-added", Cluster, o => S(o)["access"]!["bootstrapClusterCreatorAdminPermissions"] = true, "spec.access.bootstrapClusterCreatorAdminPermissions", "cannot be added or removed after creation", "rule", o => S(o)["access"] = Json("""{"authenticationMode":"API"}""")),
        new("cluster-tag-key-empty", Cluster, o => S(o)["tags"] = Json("""{"":"x"}"""), "spec.tags", "keys must be 1-128 characters", "rule"),
        new("cluster-network-changed", Cluster, o => S(o)["kubernetesNetwork"] = Json("""{"ipFamily":"ipv6"}"""), "spec.kubernetesNetwork", "spec.kubernetesNetwork is immutable", "rule", o => S(o)["kubernetesNetwork"] = Json("""{"ipFamily":"ipv4"}""")),
        new("cluster-encryption-changed", Cluster, o => S(o)["encryption"] = Json("""{"kmsKeyArn":"arn:aws:kms:us-west-2:123456789012:key/b"}"""), "spec.encryption", "never changed or removed", "rule", o => S(o)["encryption"] = Json("""{"kmsKeyArn":"arn:aws:kms:us-west-2:123456789012:key/a"}""")),
        new("cluster-encryption-removed", Cluster, o => S(o).AsObject().Remove("encryption"), "spec.encryption", "never changed or removed", "rule", o => S(o)["encryption"] = Json("""{"kmsKeyArn":"arn:aws:kms:us-west-2:123456789012:key/a"}""")),
        new("cluster-auth-mode-backwards", Cluster, o => S(o)["access"] = Json("""{"authenticationMode":"CONFIG_MAP"}"""), "spec.access.authenticationMode", "can only move", "rule", o => S(o)["access"] = Json("""{"authenticationMode":"API"}""")),
        new("cluster-auth-mode-skips-step", Cluster, o => S(o)["access"] = Json("""{"authenticationMode":"API"}"""), "spec.access.authenticationMode", "can only move", "rule", o => S(o)["access"] = Json("""{"authenticationMode":"CONFIG_MAP"}""")),
        new("cluster-bootstrap-admin-changed", Cluster, o => S(o)["access"] = Json("""{"bootstrapClusterCreatorAdminPermissions":false}"""), "spec.access.bootstrapClusterCreatorAdminPermissions", "is immutable", "rule", o => S(o)["access"] = Json("""{"bootstrapClusterCreatorAdminPermissions":true}""")),
        // EksCluster: Auto Mode and the newer settings
        new("cluster-auto-mode-config-map", Cluster, o => S(o)["autoMode"] = Json("""{"enabled":true}"""), "spec.autoMode", "needs spec.access.authenticationMode API or API_AND_CONFIG_MAP", "rule"),
        new("cluster-auto-mode-explicit-config-map", Cluster, o => { S(o)["autoMode"] = Json("""{"enabled":true}"""); S(o)["access"] = Json("""{"authenticationMode":"CONFIG_MAP"}"""); }, "spec.autoMode", "needs spec.access.authenticationMode", "rule"),
        new("cluster-auto-mode-no-enabled", Cluster, o => S(o)["autoMode"] = Json("""{"nodePools":["system"]}"""), "spec.autoMode.enabled", "Required value", "required"),
        new("cluster-auto-mode-pool-unknown", Cluster, o => { S(o)["autoMode"] = Json("""{"enabled":true,"nodePools":["gpu"]}"""); S(o)["access"] = Json("""{"authenticationMode":"API"}"""); }, "spec.autoMode.nodePools[0]", "Unsupported value", "enum"),
        new("cluster-auto-mode-node-role-changed", Cluster, o => S(o)["autoMode"]!["nodeRoleArn"] = "arn:aws:iam::123456789012:role/b", "spec.autoMode.nodeRoleArn", "cannot be changed or removed once set", "rule",
            o => { S(o)["autoMode"] = Json("""{"enabled":true,"nodeRoleArn":"arn:aws:iam::123456789012:role/a"}"""); S(o)["access"] = Json("""{"authenticationMode":"API"}"""); }),
        new("cluster-auto-mode-node-role-removed", Cluster, o => S(o)["autoMode"]!.AsObject().Remove("nodeRoleArn"), "spec.autoMode.nodeRoleArn", "cannot be changed or removed once set", "rule",
            o => { S(o)["autoMode"] = Json("""{"enabled":false,"nodeRoleArn":"arn:aws:iam::123456789012:role/a"}"""); S(o)["access"] = Json("""{"authenticationMode":"API"}"""); }),
        new("cluster-tier-unknown", Cluster, o => S(o)["controlPlaneScaling"] = Json("""{"tier":"tier-3xl"}"""), "spec.controlPlaneScaling.tier", "Unsupported value", "enum"),
        new("cluster-zonal-shift-no-enabled", Cluster, o => S(o)["zonalShift"] = new JsonObject(), "spec.zonalShift.enabled", "Required value", "required"),
        new("cluster-remote-two-node-networks", Cluster, o => S(o)["remoteNetwork"] = Json("""{"remoteNodeNetworks":[{"cidrs":["10.1.0.0/16"]},{"cidrs":["10.2.0.0/16"]}]}"""), "spec.remoteNetwork.remoteNodeNetworks", "must have at most 1 items", "maxItems"),
        new("cluster-remote-cidr-too-wide", Cluster, o => S(o)["remoteNetwork"] = Json("""{"remotePodNetworks":[{"cidrs":["10.0.0.0/7"]}]}"""), "spec.remoteNetwork.remotePodNetworks[0].cidrs[0]", "should match", "pattern"),
        new("cluster-remote-no-cidrs", Cluster, o => S(o)["remoteNetwork"] = Json("""{"remoteNodeNetworks":[{"cidrs":[]}]}"""), "spec.remoteNetwork.remoteNodeNetworks[0].cidrs", "should have at least 1 items", "minItems"),

        // ManagedNodeGroup: create
        new("nodegroup-no-cluster-ref", NodeGroup, o => S(o).AsObject().Remove("clusterRef"), "spec.clusterRef", "Required value", "required"),
        new("nodegroup-no-scaling", NodeGroup, o => S(o).AsObject().Remove("scaling"), "spec.scaling", "Required value", "required"),
        new("nodegroup-min-above-max", NodeGroup, o => S(o)["scaling"] = Json("""{"minSize":4,"maxSize":3}"""), "spec.scaling.minSize", "minSize must not exceed maxSize", "rule"),
        new("nodegroup-desired-above-max", NodeGroup, o => S(o)["scaling"]!["desiredSize"] = 4, "spec.scaling.desiredSize", "between minSize and maxSize", "rule"),
        new("nodegroup-desired-below-min", NodeGroup, o => S(o)["scaling"]!["desiredSize"] = 0, "spec.scaling.desiredSize", "between minSize and maxSize", "rule"),
        new("nodegroup-max-zero", NodeGroup, o => S(o)["scaling"] = Json("""{"minSize":0,"maxSize":0}"""), "spec.scaling.maxSize", "greater than or equal to 1", "minimum"),
        new("nodegroup-min-negative", NodeGroup, o => S(o)["scaling"]!["minSize"] = -1, "spec.scaling.minSize", "greater than or equal to 0", "minimum"),
        new("nodegroup-scaling-string", NodeGroup, o => S(o)["scaling"]!["maxSize"] = "3", "spec.scaling.maxSize", "must be of type integer", "type"),
        new("nodegroup-update-config-both", NodeGroup, o => S(o)["updateConfig"] = Json("""{"maxUnavailable":1,"maxUnavailablePercentage":10}"""), "spec.updateConfig", "exactly one of maxUnavailable or maxUnavailablePercentage", "rule"),
        new("nodegroup-update-config-neither", NodeGroup, o => S(o)["updateConfig"] = new JsonObject(), "spec.updateConfig", "exactly one of maxUnavailable or maxUnavailablePercentage", "rule"),
        new("nodegroup-unavailable-percentage-101", NodeGroup, o => S(o)["updateConfig"] = Json("""{"maxUnavailablePercentage":101}"""), "spec.updateConfig.maxUnavailablePercentage", "less than or equal to 100", "maximum"),
        new("nodegroup-update-strategy-unknown", NodeGroup, o => S(o)["updateConfig"] = Json("""{"maxUnavailable":1,"updateStrategy":"FAST"}"""), "spec.updateConfig.updateStrategy", "Unsupported value", "enum"),
        new("nodegroup-node-repair-no-enabled", NodeGroup, o => S(o)["nodeRepair"] = new JsonObject(), "spec.nodeRepair.enabled", "Required value", "required"),
        new("nodegroup-51-taints", NodeGroup, o => S(o)["taints"] = new JsonArray([.. Enumerable.Range(0, 51).Select(i => Json($$"""{"key":"k{{i}}","effect":"NO_SCHEDULE"}"""))]), "spec.taints", "must have at most 50 items", "maxItems"),
        new("nodegroup-taint-kubernetes-spelling", NodeGroup, o => S(o)["taints"] = Json("""[{"key":"k","effect":"NoSchedule"}]"""), "spec.taints[0].effect", "Unsupported value: \"NoSchedule\"", "enum"),
        new("nodegroup-taint-duplicate", NodeGroup, o => S(o)["taints"] = Json("""[{"key":"k","value":"a","effect":"NO_SCHEDULE"},{"key":"k","value":"b","effect":"NO_SCHEDULE"}]"""), "spec.taints[1]", "Duplicate value", "x-kubernetes-list-type"),
        new("nodegroup-taint-no-key", NodeGroup, o => S(o)["taints"] = Json("""[{"effect":"NO_SCHEDULE"}]"""), "spec.taints[0].key", "Required value", "required"),
        new("nodegroup-name-64", NodeGroup, o => S(o)["name"] = new string('n', 64), "spec.name", "Too long", "maxLength"),
        new("nodegroup-ami-unknown", NodeGroup, o => S(o)["amiType"] = "WINDOWS_95", "spec.amiType", "Unsupported value", "enum"),
        new("nodegroup-capacity-unknown", NodeGroup, o => S(o)["capacityType"] = "RESERVED", "spec.capacityType", "Unsupported value", "enum"),
        new("nodegroup-disk-with-launch-template", NodeGroup, o => { S(o)["diskSize"] = 50; S(o)["launchTemplate"] = Json("""{"name":"lt-web"}"""); }, "spec", "cannot be combined with spec.launchTemplate", "rule"),
        new("nodegroup-launch-template-id-and-name", NodeGroup, o => S(o)["launchTemplate"] = Json("""{"id":"lt-0123456789abcdef0","name":"web"}"""), "spec.launchTemplate", "exactly one of id or name", "rule"),
        new("nodegroup-label-key-too-long", NodeGroup, o => S(o)["labels"] = new JsonObject { [new string('k', 64)] = "v" }, "spec.labels", "keys must be 1-63 characters", "rule"),
        new("nodegroup-desired-size-managed-by-unknown", NodeGroup, o => S(o)["desiredSizeManagedBy"] = "Karpenter", "spec.desiredSizeManagedBy", "Unsupported value", "enum"),

        // ManagedNodeGroup: update
        new("nodegroup-cluster-ref-changed", NodeGroup, o => S(o)["clusterRef"]!["name"] = "c2", "spec.clusterRef", "spec.clusterRef is immutable", "rule", Same),
        new("nodegroup-instance-types-changed", NodeGroup, o => S(o)["instanceTypes"] = Strings("m5.large"), "spec.instanceTypes", "spec.instanceTypes is immutable", "rule", o => S(o)["instanceTypes"] = Strings("t3.medium")),
        new("nodegroup-capacity-changed", NodeGroup, o => S(o)["capacityType"] = "SPOT", "spec.capacityType", "spec.capacityType is immutable", "rule", o => S(o)["capacityType"] = "ON_DEMAND"),
        new("nodegroup-subnets-added", NodeGroup, o => S(o)["subnetIds"] = Strings("subnet-0a000000000000011"), "spec.subnetIds", "cannot be added or removed after creation", "rule", Same),
        new("nodegroup-role-added", NodeGroup, o => S(o)["nodeRoleArn"] = "arn:aws:iam::123456789012:role/n", "spec.nodeRoleArn", "cannot be added or removed after creation", "rule", Same),
        new("nodegroup-launch-template-id-changed", NodeGroup, o => S(o)["launchTemplate"]!["id"] = "lt-0123456789abcdef1", "spec.launchTemplate.id", "spec.launchTemplate.id is immutable", "rule", o => S(o)["launchTemplate"] = Json("""{"id":"lt-0123456789abcdef0","version":"1"}""")),
        new("nodegroup-name-added", NodeGroup, o => S(o)["name"] = "late", "spec.name", "spec.name cannot be added or removed after creation", "rule", Same),
        new("nodegroup-name-changed", NodeGroup, o => S(o)["name"] = "b", "spec.name", "spec.name is immutable", "rule", o => S(o)["name"] = "a"),
        new("nodegroup-role-changed", NodeGroup, o => S(o)["nodeRoleArn"] = "arn:aws:iam::123456789012:role/b", "spec.nodeRoleArn", "spec.nodeRoleArn is immutable", "rule", o => S(o)["nodeRoleArn"] = "arn:aws:iam::123456789012:role/a"),
        new("nodegroup-subnets-changed", NodeGroup, o => S(o)["subnetIds"] = Strings("subnet-0a000000000000012"), "spec.subnetIds", "spec.subnetIds is immutable", "rule", o => S(o)["subnetIds"] = Strings("subnet-0a000000000000011")),
        new("nodegroup-instance-types-removed", NodeGroup, o => S(o).AsObject().Remove("instanceTypes"), "spec.instanceTypes", "spec.instanceTypes cannot be added or removed after creation", "rule", o => S(o)["instanceTypes"] = Strings("t3.medium")),
        new("nodegroup-ami-added", NodeGroup, o => S(o)["amiType"] = "AL2023_ARM_64_STANDARD", "spec.amiType", "spec.amiType cannot be added or removed after creation", "rule", Same),
        new("nodegroup-ami-changed", NodeGroup, o => S(o)["amiType"] = "AL2023_ARM_64_STANDARD", "spec.amiType", "spec.amiType is immutable", "rule", o => S(o)["amiType"] = "AL2023_x86_64_STANDARD"),
        new("nodegroup-capacity-added", NodeGroup, o => S(o)["capacityType"] = "SPOT", "spec.capacityType", "spec.capacityType cannot be added or removed after creation", "rule", Same),
        new("nodegroup-disk-added", NodeGroup, o => S(o)["diskSize"] = 40, "spec.diskSize", "spec.diskSize cannot be added or removed after creation", "rule", Same),
        new("nodegroup-disk-changed", NodeGroup, o => S(o)["diskSize"] = 40, "spec.diskSize", "spec.diskSize is immutable", "rule", o => S(o)["diskSize"] = 20),
        new("nodegroup-remote-access-added", NodeGroup, o => S(o)["remoteAccess"] = Json("""{"ec2SshKey":"ops"}"""), "spec.remoteAccess", "spec.remoteAccess cannot be added or removed after creation", "rule", Same),
        new("nodegroup-remote-access-changed", NodeGroup, o => S(o)["remoteAccess"] = Json("""{"ec2SshKey":"dev"}"""), "spec.remoteAccess", "spec.remoteAccess is immutable", "rule", o => S(o)["remoteAccess"] = Json("""{"ec2SshKey":"ops"}""")),
        new("nodegroup-launch-template-removed", NodeGroup, o => S(o).AsObject().Remove("launchTemplate"), "spec.launchTemplate", "spec.launchTemplate cannot be removed", "rule", o => S(o)["launchTemplate"] = Json("""{"name":"web"}""")),
        new("nodegroup-launch-template-added", NodeGroup, o => S(o)["launchTemplate"] = Json("""{"name":"web"}"""), "spec.launchTemplate", "spec.launchTemplate cannot be added after creation", "rule", Same),
        new("nodegroup-launch-template-id-to-name", NodeGroup, o => S(o)["launchTemplate"] = Json("""{"name":"web"}"""), "spec.launchTemplate.name", "spec.launchTemplate.name cannot be added or removed after creation", "rule", o => S(o)["launchTemplate"] = Json("""{"id":"lt-0123456789abcdef0"}""")),
        new("nodegroup-launch-template-name-changed", NodeGroup, o => S(o)["launchTemplate"]!["name"] = "api", "spec.launchTemplate.name", "spec.launchTemplate.name is immutable", "rule", o => S(o)["launchTemplate"] = Json("""{"name":"web"}""")),
        new("nodegroup-reserved-tag", NodeGroup, o => S(o)["tags"] = Json("""{"app.kubernetes.io/managed-by":"me"}"""), "spec.tags", "are reserved", "rule"),
        new("nodegroup-tag-key-empty", NodeGroup, o => S(o)["tags"] = Json("""{"":"x"}"""), "spec.tags", "keys must be 1-128 characters", "rule"),
        new("nodegroup-tag-value-too-long", NodeGroup, o => S(o)["tags"] = new JsonObject { ["k"] = new string('v', 257) }, "spec.tags", "values must be at most 256", "rule"),

        // FargateProfile
        new("fargate-no-selectors", Fargate, o => S(o)["selectors"] = new JsonArray(), "spec.selectors", "should have at least 1 items", "minItems"),
        new("fargate-six-selectors", Fargate, o => S(o)["selectors"] = new JsonArray([.. Enumerable.Range(0, 6).Select(i => Json($$"""{"namespace":"ns{{i}}"}"""))]), "spec.selectors", "must have at most 5 items", "maxItems"),
        new("fargate-six-labels", Fargate, o => S(o)["selectors"]![0]!["labels"] = new JsonObject(Enumerable.Range(0, 6).Select(i => KeyValuePair.Create($"l{i}", (JsonNode?)"v"))), "spec.selectors[0].labels", "must have at most 5 items", "maxProperties"),
        new("fargate-selector-no-namespace", Fargate, o => S(o)["selectors"] = Json("""[{"labels":{"a":"b"}}]"""), "spec.selectors[0].namespace", "Required value", "required"),
        new("fargate-no-subnets", Fargate, o => S(o).AsObject().Remove("subnetIds"), "spec.subnetIds", "Required value", "required"),
        new("fargate-name-too-long", Fargate, o => S(o)["name"] = new string('f', 55), "spec.name", "Too long", "maxLength"),
        new("fargate-update-strategy-unknown", Fargate, o => S(o)["updateStrategy"] = "Recreate", "spec.updateStrategy", "Unsupported value", "enum"),
        new("fargate-reserved-tag", Fargate, o => S(o)["tags"] = Json("""{"eks.operator.dev/name":"x"}"""), "spec.tags", "are reserved", "rule"),
        new("fargate-tag-key-empty", Fargate, o => S(o)["tags"] = Json("""{"":"x"}"""), "spec.tags", "keys must be 1-128 characters", "rule"),
        new("fargate-tag-value-too-long", Fargate, o => S(o)["tags"] = new JsonObject { ["k"] = new string('v', 257) }, "spec.tags", "values must be at most 256", "rule"),
        new("fargate-selectors-changed", Fargate, o => S(o)["selectors"] = Json("""[{"namespace":"other"}]"""), "spec", "set spec.updateStrategy: Replace", "rule", Same),
        new("fargate-role-changed", Fargate, o => S(o)["podExecutionRoleArn"] = "arn:aws:iam::123456789012:role/b", "spec", "set spec.updateStrategy: Replace", "rule", o => S(o)["podExecutionRoleArn"] = "arn:aws:iam::123456789012:role/a"),
        new("fargate-subnets-changed", Fargate, o => S(o)["subnetIds"] = Strings("subnet-0a000000000000012"), "spec", "set spec.updateStrategy: Replace", "rule", Same),
        new("fargate-cluster-ref-changed-with-replace", Fargate, o => { S(o)["clusterRef"]!["name"] = "c2"; S(o)["updateStrategy"] = "Replace"; }, "spec.clusterRef", "spec.clusterRef is immutable", "rule", Same),

        // Addon
        new("addon-no-cluster", Addon, o => S(o).AsObject().Remove("clusterRef"), "spec.clusterRef", "Required value", "required"),
        new("addon-version-pattern", Addon, o => S(o)["version"] = "newest", "spec.version", "should match", "pattern"),
        new("addon-name-changed", Addon, o => S(o)["name"] = "coredns", "spec.name", "spec.name is immutable", "rule", Same),
        new("addon-resolve-conflicts-unknown", Addon, o => S(o)["resolveConflicts"] = "MERGE", "spec.resolveConflicts", "Unsupported value", "enum"),
        new("addon-irsa-and-pod-identity", Addon, o => { S(o)["serviceAccountRoleArn"] = "arn:aws:iam::123456789012:role/cni"; S(o)["podIdentityAssociations"] = Json("""[{"serviceAccount":"aws-node","roleArn":"arn:aws:iam::123456789012:role/cni"}]"""); },
            "spec", "cannot be combined", "rule"),
        new("addon-pod-identity-role-and-policies", Addon, o => S(o)["podIdentityAssociations"] = Json("""[{"serviceAccount":"aws-node","roleArn":"arn:aws:iam::123456789012:role/cni","policyArns":["arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"]}]"""),
            "spec.podIdentityAssociations[0]", "exactly one of roleArn and policyArns", "rule"),
        new("addon-pod-identity-duplicate-service-account", Addon, o => S(o)["podIdentityAssociations"] = Json("""[{"serviceAccount":"aws-node","roleArn":"arn:aws:iam::123456789012:role/a"},{"serviceAccount":"aws-node","roleArn":"arn:aws:iam::123456789012:role/b"}]"""),
            "spec.podIdentityAssociations[1]", "Duplicate value", "x-kubernetes-list-type"),
        new("addon-cluster-ref-changed", Addon, o => S(o)["clusterRef"]!["name"] = "c2", "spec.clusterRef", "spec.clusterRef is immutable", "rule", Same),
        new("addon-name-removed", Addon, o => S(o).AsObject().Remove("name"), "spec.name", "spec.name cannot be added or removed after creation", "rule", Same),
        new("addon-reserved-tag", Addon, o => S(o)["tags"] = Json("""{"eks.operator.dev/name":"x"}"""), "spec.tags", "are reserved", "rule"),
        new("addon-tag-key-empty", Addon, o => S(o)["tags"] = Json("""{"":"x"}"""), "spec.tags", "keys must be 1-128 characters", "rule"),
        new("addon-tag-value-too-long", Addon, o => S(o)["tags"] = new JsonObject { ["k"] = new string('v', 257) }, "spec.tags", "values must be at most 256", "rule"),

        // AccessEntry
        new("access-no-principal", Access, o => S(o).AsObject().Remove("principalArn"), "spec.principalArn", "Required value", "required"),
        new("access-principal-session", Access, o => S(o)["principalArn"] = "arn:aws:sts::123456789012:assumed-role/admins/me", "spec.principalArn", "should match", "pattern"),
        new("access-principal-changed", Access, o => S(o)["principalArn"] = "arn:aws:iam::123456789012:role/other", "spec.principalArn", "spec.principalArn is immutable", "rule", Same),
        new("access-type-changed", Access, o => S(o)["type"] = "EC2_LINUX", "spec.type", "spec.type is immutable", "rule", o => S(o)["type"] = "STANDARD"),
        new("access-type-unknown", Access, o => S(o)["type"] = "ROBOT", "spec.type", "Unsupported value", "enum"),
        new("access-system-group", Access, o => S(o)["kubernetesGroups"] = Strings("system:masters"), "spec.kubernetesGroups", "cannot start with system:", "rule"),
        new("access-reserved-username", Access, o => S(o)["username"] = "eks:me", "spec.username", "cannot start with system:, eks:", "rule"),
        new("access-groups-on-node-type", Access, o => { S(o)["type"] = "EC2_LINUX"; S(o)["kubernetesGroups"] = Strings("nodes"); }, "spec", "only for type STANDARD", "rule"),
        new("access-policy-pattern", Access, o => S(o)["accessPolicies"] = Json("""[{"policy":"arn:aws:iam::aws:policy/Admin","scope":{"type":"cluster"}}]"""), "spec.accessPolicies[0].policy", "should match", "pattern"),
        new("access-policy-duplicate", Access, o => S(o)["accessPolicies"] = Json("""[{"policy":"AmazonEKSViewPolicy","scope":{"type":"cluster"}},{"policy":"AmazonEKSViewPolicy","scope":{"type":"namespace","namespaces":["a"]}}]"""),
            "spec.accessPolicies", "each policy may appear only once", "rule"),
        new("access-namespace-scope-without-namespaces", Access, o => S(o)["accessPolicies"] = Json("""[{"policy":"AmazonEKSEditPolicy","scope":{"type":"namespace"}}]"""),
            "spec.accessPolicies[0].scope", "scope.namespaces is required when scope.type is namespace", "rule"),
        new("access-scope-type-unknown", Access, o => S(o)["accessPolicies"] = Json("""[{"policy":"AmazonEKSEditPolicy","scope":{"type":"everything"}}]"""),
            "spec.accessPolicies[0].scope.type", "Unsupported value", "enum"),
        new("access-cluster-ref-changed", Access, o => S(o)["clusterRef"]!["name"] = "c2", "spec.clusterRef", "spec.clusterRef is immutable", "rule", Same),
        new("access-reserved-tag", Access, o => S(o)["tags"] = Json("""{"eks.operator.dev/name":"x"}"""), "spec.tags", "are reserved", "rule"),
        new("access-tag-key-empty", Access, o => S(o)["tags"] = Json("""{"":"x"}"""), "spec.tags", "keys must be 1-128 characters", "rule"),
        new("access-tag-value-too-long", Access, o => S(o)["tags"] = new JsonObject { ["k"] = new string('v', 257) }, "spec.tags", "values must be at most 256", "rule"),

        // PodIdentityAssociation
        new("pia-no-service-account", Pia, o => S(o).AsObject().Remove("serviceAccount"), "spec.serviceAccount", "Required value", "required"),
        new("pia-namespace-pattern", Pia, o => S(o)["namespace"] = "Apps", "spec.namespace", "should match", "pattern"),
        new("pia-namespace-changed", Pia, o => S(o)["namespace"] = "other", "spec.namespace", "spec.namespace is immutable", "rule", Same),
        new("pia-service-account-changed", Pia, o => S(o)["serviceAccount"] = "api", "spec.serviceAccount", "spec.serviceAccount is immutable", "rule", Same),
        new("pia-role-and-policies", Pia, o => S(o)["policyArns"] = Strings("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"), "spec", "exactly one of spec.roleArn and spec.policyArns", "rule"),
        new("pia-neither-role-nor-policies", Pia, o => S(o).AsObject().Remove("roleArn"), "spec", "exactly one of spec.roleArn and spec.policyArns", "rule"),
        new("pia-policy-arn-pattern", Pia, o => { S(o).AsObject().Remove("roleArn"); S(o)["policyArns"] = Strings("AmazonS3ReadOnlyAccess"); }, "spec.policyArns[0]", "should match", "pattern"),
        new("pia-role-arn-pattern", Pia, o => S(o)["roleArn"] = "web", "spec.roleArn", "should match", "pattern"),
        new("pia-cluster-ref-changed", Pia, o => S(o)["clusterRef"]!["name"] = "c2", "spec.clusterRef", "spec.clusterRef is immutable", "rule", Same),
        new("pia-reserved-tag", Pia, o => S(o)["tags"] = Json("""{"eks.operator.dev/name":"x"}"""), "spec.tags", "are reserved", "rule"),
        new("pia-tag-key-empty", Pia, o => S(o)["tags"] = Json("""{"":"x"}"""), "spec.tags", "keys must be 1-128 characters", "rule"),
        new("pia-tag-value-too-long", Pia, o => S(o)["tags"] = new JsonObject { ["k"] = new string('v', 257) }, "spec.tags", "values must be at most 256", "rule"),

        // Capability
        new("cap-no-type", Cap, o => S(o).AsObject().Remove("type"), "spec.type", "Required value", "required"),
        new("cap-type-unknown", Cap, o => S(o)["type"] = "FLUX", "spec.type", "Unsupported value", "enum"),
        new("cap-type-changed", Cap, o => { S(o)["type"] = "KRO"; S(o).AsObject().Remove("configuration"); }, "spec.type", "spec.type is immutable", "rule", Same),
        new("cap-argocd-without-configuration", Cap, o => S(o).AsObject().Remove("configuration"), "spec", "spec.configuration.argoCd is required for type ARGOCD", "rule"),
        new("cap-argocd-configuration-on-kro", Cap, o => S(o)["type"] = "KRO", "spec", "spec.configuration.argoCd is required for type ARGOCD", "rule"),
        new("cap-no-idc", Cap, o => S(o)["configuration"]!["argoCd"]!.AsObject().Remove("awsIdc"), "spec.configuration.argoCd.awsIdc", "Required value", "required"),
        new("cap-idc-arn-pattern", Cap, o => S(o)["configuration"]!["argoCd"]!["awsIdc"]!["idcInstanceArn"] = "ssoins-1", "spec.configuration.argoCd.awsIdc.idcInstanceArn", "should match", "pattern"),
        new("cap-idc-changed", Cap, o => S(o)["configuration"]!["argoCd"]!["awsIdc"]!["idcInstanceArn"] = "arn:aws:sso:::instance/ssoins-other", "spec.configuration.argoCd.awsIdc", "spec.configuration.argoCd.awsIdc is immutable", "rule", Same),
        new("cap-role-mapping-role-unknown", Cap, o => S(o)["configuration"]!["argoCd"]!["rbacRoleMappings"] = Json("""[{"role":"OWNER","identities":[{"id":"g1","type":"SSO_GROUP"}]}]"""), "spec.configuration.argoCd.rbacRoleMappings[0].role", "Unsupported value", "enum"),
        new("cap-role-mapping-duplicate-role", Cap, o => S(o)["configuration"]!["argoCd"]!["rbacRoleMappings"] = Json("""[{"role":"ADMIN","identities":[{"id":"g1","type":"SSO_GROUP"}]},{"role":"ADMIN","identities":[{"id":"u1","type":"SSO_USER"}]}]"""), "spec.configuration.argoCd.rbacRoleMappings[1]", "Duplicate value", "x-kubernetes-list-type"),
        new("cap-vpce-pattern", Cap, o => S(o)["configuration"]!["argoCd"]!["networkAccess"] = Json("""{"vpceIds":["vpc-123"]}"""), "spec.configuration.argoCd.networkAccess.vpceIds[0]", "should match", "pattern"),
        new("cap-delete-propagation-unknown", Cap, o => S(o)["deletePropagation"] = "DELETE", "spec.deletePropagation", "Unsupported value", "enum"),
        new("cap-role-arn-pattern", Cap, o => S(o)["roleArn"] = "argocd", "spec.roleArn", "should match", "pattern"),
        new("cap-cluster-ref-changed", Cap, o => S(o)["clusterRef"]!["name"] = "c2", "spec.clusterRef", "spec.clusterRef is immutable", "rule", Same),
        new("cap-name-changed", Cap, o => S(o)["name"] = "other", "spec.name", "spec.name is immutable", "rule", o => S(o)["name"] = "argocd"),

        // AwsIdentity
        new("identity-no-role", Id, o => S(o).AsObject().Remove("roleArn"), "spec.roleArn", "Required value", "required"),
        new("identity-role-pattern", Id, o => S(o)["roleArn"] = "arn:aws:iam::123:role/x", "spec.roleArn", "should match", "pattern"),
        new("identity-no-selector", Id, o => S(o).AsObject().Remove("namespaceSelector"), "spec.namespaceSelector", "Required value", "required"),
        new("identity-empty-selector", Id, o => S(o)["namespaceSelector"] = new JsonObject(), "spec.namespaceSelector", "needs matchNames or matchLabels", "rule"),
        new("identity-empty-labels", Id, o => S(o)["namespaceSelector"] = Json("""{"matchLabels":{}}"""), "spec.namespaceSelector.matchLabels", "must name at least one label", "rule"),
        new("identity-namespace-pattern", Id, o => S(o)["namespaceSelector"] = Json("""{"matchNames":["Team_A"]}"""), "spec.namespaceSelector.matchNames[0]", "should match", "pattern"),
        new("identity-duration-too-short", Id, o => S(o)["sessionDurationSeconds"] = 60, "spec.sessionDurationSeconds", "greater than or equal to 900", "minimum"),
        new("identity-duration-too-long", Id, o => S(o)["sessionDurationSeconds"] = 86400, "spec.sessionDurationSeconds", "less than or equal to 43200", "maximum"),
        new("identity-external-id-short", Id, o => S(o)["externalId"] = "x", "spec.externalId", "should be at least 2 chars long", "minLength"),
        new("identity-session-name-pattern", Id, o => S(o)["sessionName"] = "eks operator", "spec.sessionName", "should match", "pattern"),
        new("identity-region-pattern", Id, o => S(o)["region"] = "europe", "spec.region", "should match", "pattern"),
        new("identity-source-without-name", Id, o => S(o)["sourceIdentityRef"] = new JsonObject(), "spec.sourceIdentityRef.name", "Required value", "required"),
        new("cap-name-added", Cap, o => S(o)["name"] = "argocd", "spec.name", "spec.name cannot be added or removed", "rule", Same),
        new("cap-argocd-namespace-changed", Cap, o => S(o)["configuration"]!["argoCd"]!["namespace"] = "other", "spec.configuration.argoCd.namespace", "spec.configuration.argoCd.namespace is immutable", "rule", o => S(o)["configuration"]!["argoCd"]!["namespace"] = "argocd"),
        new("cap-argocd-namespace-added", Cap, o => S(o)["configuration"]!["argoCd"]!["namespace"] = "argocd", "spec.configuration.argoCd.namespace", "cannot be added or removed", "rule", Same),
        new("cap-tag-key-empty", Cap, o => S(o)["tags"] = Json("""{"":"x"}"""), "spec.tags", "keys must be 1-128 characters", "rule"),
        new("cap-tag-value-too-long", Cap, o => S(o)["tags"] = new JsonObject { ["k"] = new string('v', 257) }, "spec.tags", "values must be at most 256", "rule"),
        new("cap-reserved-tag", Cap, o => S(o)["tags"] = Json("""{"eks.operator.dev/name":"x"}"""), "spec.tags", "are reserved", "rule"),
    ];

    public static readonly GoodCase[] Good =
    [
        new("cluster-minimal", Cluster, Same),
        new("identity-minimal", Id, Same),
        new("identity-every-field", Id, o => o["spec"] = Json("""
            {"roleArn":"arn:aws:iam::222222222222:role/eks-operator-access","externalId":"shop-3c91","sessionName":"eks-operator","sessionDurationSeconds":3600,
             "sourceIdentityRef":{"name":"hub"},"region":"eu-west-1","namespaceSelector":{"matchNames":["shop"],"matchLabels":{"tenant":"shop"}}}
            """)),
        new("cluster-selector-only", Cluster, o => S(o)["vpc"] = Json("""{"subnetSelector":{"vpcId":"vpc-0123456789abcdef0","tags":{"kubernetes.io/role/internal-elb":"1"}}}""")),
        new("cluster-every-field", Cluster, o => o["spec"] = Json("""
            {"name":"Prod_1","region":"eu-central-1","version":"1.34","roleArn":"arn:aws:iam::123456789012:role/eks",
             "vpc":{"subnetIds":["subnet-0a000000000000011","subnet-0a000000000000012"],"securityGroupIds":["sg-0123456789abcdef0"],
                    "endpointPublicAccess":false,"endpointPrivateAccess":true,"publicAccessCidrs":["203.0.113.0/24"]},
             "logging":["api","audit","authenticator","controllerManager","scheduler"],
             "kubernetesNetwork":{"serviceIpv4Cidr":"172.20.0.0/16","ipFamily":"ipv4"},
             "encryption":{"kmsKeyArn":"arn:aws:kms:eu-central-1:123456789012:key/abc"},
             "access":{"authenticationMode":"API","bootstrapClusterCreatorAdminPermissions":false},
             "upgradePolicy":{"supportType":"EXTENDED"},"deletionProtection":true,"nodeGroupsFollowVersion":false,
             "kubeconfig":{"secretName":"prod-kubeconfig","mode":"Token","argoCd":true},
             "deletionPolicy":"Retain","managementPolicy":"ObserveOnly","tags":{"team":"platform","empty":""}}
            """)),
        new("cluster-version-raised-three-minors", Cluster, o => S(o)["version"] = "1.36", Same),
        new("cluster-version-typo-undone", Cluster, o => S(o)["version"] = "1.33", o => S(o)["version"] = "1.99"),
        new("cluster-version-set-later", Cluster, o => S(o)["version"] = "1.33", o => S(o).AsObject().Remove("version")),
        new("cluster-encryption-added-later", Cluster, o => S(o)["encryption"] = Json("""{"kmsKeyArn":"arn:aws:kms:us-west-2:123456789012:key/a"}"""), Same),
        new("cluster-auth-mode-first-step", Cluster, o => S(o)["access"] = Json("""{"authenticationMode":"API_AND_CONFIG_MAP"}"""), o => S(o)["access"] = Json("""{"authenticationMode":"CONFIG_MAP"}""")),
        new("cluster-auth-mode-second-step", Cluster, o => S(o)["access"] = Json("""{"authenticationMode":"API"}"""), o => S(o)["access"] = Json("""{"authenticationMode":"API_AND_CONFIG_MAP"}""")),
        new("cluster-mutable-fields-changed", Cluster, o => { S(o)["logging"] = Strings("audit"); S(o)["tags"] = Json("""{"b":"2"}"""); S(o)["deletionProtection"] = true; S(o)["vpc"]!["endpointPrivateAccess"] = true; }, o => S(o)["tags"] = Json("""{"a":"1"}""")),
        new("cluster-auto-mode-and-newer-settings", Cluster, o =>
        {
            S(o)["access"] = Json("""{"authenticationMode":"API_AND_CONFIG_MAP"}""");
            S(o)["autoMode"] = Json("""{"enabled":true,"nodePools":["general-purpose","system"],"nodeRoleArn":"arn:aws:iam::123456789012:role/n"}""");
            S(o)["zonalShift"] = Json("""{"enabled":true}""");
            S(o)["controlPlaneScaling"] = Json("""{"tier":"tier-8xl"}""");
            S(o)["remoteNetwork"] = Json("""{"remoteNodeNetworks":[{"cidrs":["10.200.0.0/16","192.168.0.0/24"]}],"remotePodNetworks":[{"cidrs":["10.201.0.0/16"]}]}""");
        }),
        new("cluster-auto-mode-custom-pools-only", Cluster, o => { S(o)["autoMode"] = Json("""{"enabled":true,"nodePools":[]}"""); S(o)["access"] = Json("""{"authenticationMode":"API"}"""); }),
        new("cluster-auto-mode-disabled-keeps-role", Cluster, o => S(o)["autoMode"]!["enabled"] = false,
            o => { S(o)["autoMode"] = Json("""{"enabled":true,"nodeRoleArn":"arn:aws:iam::123456789012:role/a"}"""); S(o)["access"] = Json("""{"authenticationMode":"API"}"""); }),
        new("cluster-auto-mode-enabled-later", Cluster, o => { S(o)["autoMode"] = Json("""{"enabled":true}"""); S(o)["access"] = Json("""{"authenticationMode":"API"}"""); }, o => S(o)["access"] = Json("""{"authenticationMode":"API"}""")),
        new("cluster-newer-settings-changed", Cluster, o => { S(o)["zonalShift"] = Json("""{"enabled":false}"""); S(o)["controlPlaneScaling"] = Json("""{"tier":"standard"}"""); S(o)["remoteNetwork"] = new JsonObject(); },
            o => { S(o)["zonalShift"] = Json("""{"enabled":true}"""); S(o)["controlPlaneScaling"] = Json("""{"tier":"tier-xl"}"""); S(o)["remoteNetwork"] = Json("""{"remoteNodeNetworks":[{"cidrs":["10.200.0.0/16"]}]}"""); }),
        new("nodegroup-node-repair-and-minimal", NodeGroup, o => { S(o)["nodeRepair"] = Json("""{"enabled":true}"""); S(o)["updateConfig"] = Json("""{"maxUnavailablePercentage":50,"updateStrategy":"MINIMAL"}"""); }, Same),
        new("nodegroup-minimal-zero", NodeGroup, o => S(o)["scaling"] = Json("""{"minSize":0,"maxSize":1,"desiredSize":0}""")),
        new("nodegroup-no-desired", NodeGroup, o => S(o)["scaling"]!.AsObject().Remove("desiredSize")),
        new("nodegroup-launch-template", NodeGroup, o => S(o)["launchTemplate"] = Json("""{"id":"lt-0123456789abcdef0","version":"$Latest"}""")),
        new("nodegroup-50-taints", NodeGroup, o => S(o)["taints"] = new JsonArray([.. Enumerable.Range(0, 50).Select(i => Json($$"""{"key":"k{{i}}","effect":"NO_EXECUTE"}"""))])),
        new("nodegroup-scaling-labels-taints-changed", NodeGroup, o => { S(o)["scaling"] = Json("""{"minSize":2,"maxSize":9,"desiredSize":5}"""); S(o)["labels"] = Json("""{"a":"b"}"""); S(o)["taints"] = Json("""[{"key":"k","effect":"NO_SCHEDULE"}]"""); }, Same),
        new("nodegroup-version-raised", NodeGroup, o => S(o)["version"] = "1.33", o => S(o)["version"] = "1.32"),
        // Admission cannot see status.version: lowering is allowed here, so a typo can be undone; the operator refuses a real downgrade.
        new("nodegroup-version-lowered", NodeGroup, o => S(o)["version"] = "1.31", o => S(o)["version"] = "1.32"),
        new("nodegroup-launch-template-version-changed", NodeGroup, o => S(o)["launchTemplate"]!["version"] = "2", o => S(o)["launchTemplate"] = Json("""{"name":"web","version":"1"}""")),
        new("fargate-five-selectors-five-labels", Fargate, o => S(o)["selectors"] = new JsonArray([.. Enumerable.Range(0, 5).Select(i => Json($$$"""{"namespace":"ns{{{i}}}","labels":{"a":"1","b":"2","c":"3","d":"4","e":"*"}}"""))])),
        new("fargate-tags-and-policies-changed", Fargate, o => { S(o)["tags"] = Json("""{"x":"y"}"""); S(o)["deletionPolicy"] = "Retain"; S(o)["managementPolicy"] = "ObserveOnly"; }, Same),
        new("fargate-selectors-changed-with-replace", Fargate, o => { S(o)["selectors"] = Json("""[{"namespace":"other"}]"""); S(o)["updateStrategy"] = "Replace"; }, Same),
        new("addon-configuration-any-json", Addon, o => { S(o)["configurationValues"] = Json("""{"env":{"WARM_ENI_TARGET":"2"},"replicaCount":3,"tolerations":[{"key":"a"}]}"""); S(o)["version"] = "v1.19.2-eksbuild.1"; }),
        new("addon-version-latest-and-owned-role", Addon, o => { S(o)["version"] = "latest"; S(o)["podIdentityAssociations"] = Json("""[{"serviceAccount":"aws-node","policyArns":["arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"]}]"""); }),
        new("access-namespace-scope-and-groups", Access, o => { S(o)["kubernetesGroups"] = Strings("devs"); S(o)["username"] = "dev:{{SessionName}}"; S(o)["accessPolicies"] = Json("""[{"policy":"arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy","scope":{"type":"namespace","namespaces":["dev-*"]}},{"policy":"AmazonEKSViewPolicy","scope":{"type":"cluster"}}]"""); }),
        new("access-node-type-bare", Access, o => S(o)["type"] = "EC2_LINUX"),
        new("access-policies-changed", Access, o => S(o)["accessPolicies"] = Json("""[{"policy":"AmazonEKSAdminPolicy","scope":{"type":"cluster"}}]"""), Same),
        new("pia-owned-role-target-role", Pia, o => { S(o).AsObject().Remove("roleArn"); S(o)["policyArns"] = Strings("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"); S(o)["targetRoleArn"] = "arn:aws:iam::210987654321:role/data"; S(o)["disableSessionTags"] = true; }),
        new("pia-role-changed", Pia, o => S(o)["roleArn"] = "arn:aws:iam::123456789012:role/web2", Same),
        new("cap-kro-bare", Cap, o => { S(o)["type"] = "KRO"; S(o).AsObject().Remove("configuration"); }),
        new("cap-ack-with-role", Cap, o => { S(o)["type"] = "ACK"; S(o).AsObject().Remove("configuration"); S(o)["roleArn"] = "arn:aws:iam::123456789012:role/ack"; S(o)["deletePropagation"] = "RETAIN"; }),
        new("cap-argocd-mappings-and-network-changed", Cap, o => { S(o)["configuration"]!["argoCd"]!["rbacRoleMappings"] = Json("""[{"role":"ADMIN","identities":[{"id":"g1","type":"SSO_GROUP"}]}]"""); S(o)["configuration"]!["argoCd"]!["networkAccess"] = Json("""{"vpceIds":["vpce-0123456789abcdef0"]}"""); S(o)["roleArn"] = "arn:aws:iam::123456789012:role/argocd"; }, Same),
    ];
}
