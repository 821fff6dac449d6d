using System.Text.Json.Serialization;
using EksOperator.Entities.Schema;
using k8s;
using k8s.Models;

namespace EksOperator.Entities.V1Alpha1;

/// <summary>An EKS managed node group, declared.</summary>
[KubernetesEntity(Group = OperatorApi.Group, ApiVersion = OperatorApi.Version, Kind = "ManagedNodeGroup", PluralName = OperatorApi.Plurals.ManagedNodeGroups)]
[EntityNames("managednodegroup", ["mng"], [OperatorApi.Category])]
[PrinterColumn(1, "Cluster", "string", ".spec.clusterRef.name")]
[PrinterColumn(2, "Version", "string", ".status.version")]
[PrinterColumn(3, "Status", "string", ".status.awsStatus")]
[PrinterColumn(4, "Desired", "integer", ".status.desiredSize")]
[PrinterColumn(5, "Min", "integer", ".spec.scaling.minSize")]
[PrinterColumn(6, "Max", "integer", ".spec.scaling.maxSize")]
[PrinterColumn(7, "Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status")]
[PrinterColumn(8, "Reason", "string", ".status.conditions[?(@.type==\"Ready\")].reason", Description = "Why the object is or is not Ready")]
[PrinterColumn(9, "Message", "string", ".status.conditions[?(@.type==\"Ready\")].message", Priority = 1, Description = "What the operator is doing or waiting for")]
[PrinterColumn(10, "Age", "date", ".metadata.creationTimestamp")]
[SpecDescription("The node group the user wants.")]
public sealed class ManagedNodeGroup() : CustomResource<ManagedNodeGroupSpec, ManagedNodeGroupStatus>(KubeKind)
{
    /// <summary>Kind of this object.</summary>
    public const string KubeKind = "ManagedNodeGroup";
}

/// <summary>Desired state of a managed node group.</summary>
[Rule("!has(self.launchTemplate) || (!has(self.diskSize) && !has(self.remoteAccess))",
    "spec.diskSize and spec.remoteAccess cannot be combined with spec.launchTemplate (set them in the launch template)")]
[Rule("!has(oldSelf.launchTemplate) || has(self.launchTemplate)", "spec.launchTemplate cannot be removed", FieldPath = ".launchTemplate")]
[Rule("has(oldSelf.launchTemplate) || !has(self.launchTemplate)", "spec.launchTemplate cannot be added after creation", FieldPath = ".launchTemplate")]
public sealed class ManagedNodeGroupSpec : ICommonSpec
{
    /// <summary>The EksCluster (same namespace) this node group belongs to. Immutable.</summary>
    [Required]
    [Immutable]
    public ClusterReference ClusterRef { get; set; } = new();

    /// <summary>AWS node group name; defaults to metadata.name. Immutable.</summary>
    [Length(1, 63)]
    [Pattern(CommonRules.NamePattern)]
    [Immutable(FreezePresence = true)]
    public string? Name { get; set; }

    /// <summary>
    /// Node IAM role. When absent the operator creates and owns "&lt;cluster&gt;-&lt;name&gt;-node", or "&lt;name&gt;-node" when the
    /// name already starts with the cluster's (trust ec2.amazonaws.com; AmazonEKSWorkerNodePolicy, AmazonEKS_CNI_Policy,
    /// AmazonEC2ContainerRegistryPullOnly). Immutable.
    /// </summary>
    [Pattern(CommonRules.IamRoleArnPattern)]
    [Immutable(FreezePresence = true)]
    public string? NodeRoleArn { get; set; }

    /// <summary>Subnets for the nodes; defaults to the cluster's subnets. Immutable.</summary>
    [Items(1, 16)]
    [ListSet]
    [ItemPattern(CommonRules.SubnetIdPattern)]
    [Immutable(FreezePresence = true)]
    public IList<string>? SubnetIds { get; set; }

    /// <summary>Node counts.</summary>
    [Required]
    public NodeGroupScaling Scaling { get; set; } = new();

    /// <summary>Operator (default) or External (an autoscaler owns desiredSize; the operator sets it only at create).</summary>
    [Default(V1Alpha1.DesiredSizeManagedBy.Operator)]
    public DesiredSizeManagedBy? DesiredSizeManagedBy { get; set; }

    /// <summary>EC2 instance types (default t3.medium). Immutable.</summary>
    [Items(1, 20)]
    [Immutable(FreezePresence = true)]
    public IList<string>? InstanceTypes { get; set; }

    /// <summary>AMI type. Immutable.</summary>
    [Immutable(FreezePresence = true)]
    public AmiType? AmiType { get; set; }

    /// <summary>ON_DEMAND or SPOT. Immutable.</summary>
    [Immutable(FreezePresence = true)]
    public CapacityType? CapacityType { get; set; }

    /// <summary>Root volume size in GiB (default 20). Immutable.</summary>
    [Range(1, 16384)]
    [Immutable(FreezePresence = true)]
    public int? DiskSize { get; set; }

    /// <summary>SSH access to the nodes. Immutable.</summary>
    [Immutable(FreezePresence = true)]
    public RemoteAccess? RemoteAccess { get; set; }

    /// <summary>Kubernetes labels on the nodes; updated in place.</summary>
    [MaxProperties(100)]
    [Rule("self.all(k, size(k) >= 1 && size(k) <= 63 && size(self[k]) <= 63)", "spec.labels: keys must be 1-63 characters and values at most 63")]
    public IDictionary<string, string>? Labels { get; set; }

    /// <summary>Kubernetes taints on the nodes (at most 50); updated in place.</summary>
    [Items(0, 50)]
    [ListMap("key", "effect")]
    public IList<Taint>? Taints { get; set; }

    /// <summary>How many nodes may be unavailable during updates, and how nodes are replaced; updated in place.</summary>
    public NodeGroupUpdateConfig? UpdateConfig { get; set; }

    /// <summary>EKS node auto repair; updated in place. Absent: left as EKS has it (off by default).</summary>
    public NodeRepair? NodeRepair { get; set; }

    /// <summary>
    /// Kubernetes minor of the nodes; defaults to following the cluster. Never newer than the cluster, never below
    /// the version the nodes run (status.version): EKS node groups cannot roll back, so a lower value is reported as
    /// Stalled and changing it back undoes the mistake.
    /// </summary>
    [Pattern(CommonRules.VersionPattern)]
    public string? Version { get; set; }

    /// <summary>EKS AMI release version, e.g. 1.33.0-20250704; updated through UpdateNodegroupVersion.</summary>
    [Length(1, 64)]
    public string? ReleaseVersion { get; set; }

    /// <summary>An EC2 launch template; its version is updated through UpdateNodegroupVersion.</summary>
    public LaunchTemplate? LaunchTemplate { get; set; }

    /// <summary>
    /// What happens to the AWS node group when this object is deleted. Unset: as its cluster's deletionPolicy, so a
    /// retained cluster keeps its nodes; Delete deletes the node group even when the cluster is retained.
    /// </summary>
    public DeletionPolicy? DeletionPolicy { get; set; }

    /// <summary>Manage (default) or ObserveOnly.</summary>
    [Default(V1Alpha1.ManagementPolicy.Manage)]
    public ManagementPolicy? ManagementPolicy { get; set; }

    /// <summary>AWS tags; the operator adds its ownership tags, which cannot be overridden.</summary>
    [MaxProperties(40)]
    [Rule(CommonRules.TagsRule, CommonRules.TagsMessage)]
    [Rule(CommonRules.TagKeysRule, CommonRules.TagKeysMessage)]
    [Rule(CommonRules.TagValuesRule, CommonRules.TagValuesMessage)]
    public IDictionary<string, string>? Tags { get; set; }
}

/// <summary>Node counts of a node group.</summary>
[Rule("self.minSize <= self.maxSize", "spec.scaling: minSize must not exceed maxSize", FieldPath = ".minSize")]
[Rule("!has(self.desiredSize) || (self.minSize <= self.desiredSize && self.desiredSize <= self.maxSize)",
    "spec.scaling: desiredSize must be between minSize and maxSize", FieldPath = ".desiredSize")]
public sealed record NodeGroupScaling
{
    /// <summary>Minimum node count (≥ 0).</summary>
    [Required]
    [Range(0, 450)]
    public int MinSize { get; set; }

    /// <summary>Maximum node count (≥ 1).</summary>
    [Required]
    [Range(1, 450)]
    public int MaxSize { get; set; }

    /// <summary>Desired node count; defaults to minSize at create.</summary>
    [Range(0, 450)]
    public int? DesiredSize { get; set; }
}

/// <summary>Who owns desiredSize after create.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DesiredSizeManagedBy>))]
public enum DesiredSizeManagedBy
{
    /// <summary>The operator keeps desiredSize equal to the spec.</summary>
    Operator,

    /// <summary>An autoscaler owns desiredSize; the operator never reverts it.</summary>
    External,
}

/// <summary>EKS AMI types.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AmiType>))]
public enum AmiType
{
    /// <summary>Amazon Linux 2 x86_64.</summary>
    [JsonStringEnumMemberName("AL2_x86_64")] Al2X8664,

    /// <summary>Amazon Linux 2 x86_64 GPU.</summary>
    [JsonStringEnumMemberName("AL2_x86_64_GPU")] Al2X8664Gpu,

    /// <summary>Amazon Linux 2 ARM.</summary>
    [JsonStringEnumMemberName("AL2_ARM_64")] Al2Arm64,

    /// <summary>Amazon Linux 2023 x86_64.</summary>
    [JsonStringEnumMemberName("AL2023_x86_64_STANDARD")] Al2023X8664Standard,

    /// <summary>Amazon Linux 2023 ARM.</summary>
    [JsonStringEnumMemberName("AL2023_ARM_64_STANDARD")] Al2023Arm64Standard,

    /// <summary>Amazon Linux 2023 x86_64 NVIDIA.</summary>
    [JsonStringEnumMemberName("AL2023_x86_64_NVIDIA")] Al2023X8664Nvidia,

    /// <summary>Amazon Linux 2023 x86_64 Neuron.</summary>
    [JsonStringEnumMemberName("AL2023_x86_64_NEURON")] Al2023X8664Neuron,

    /// <summary>Bottlerocket x86_64.</summary>
    [JsonStringEnumMemberName("BOTTLEROCKET_x86_64")] BottlerocketX8664,

    /// <summary>Bottlerocket ARM.</summary>
    [JsonStringEnumMemberName("BOTTLEROCKET_ARM_64")] BottlerocketArm64,

    /// <summary>Custom AMI from a launch template.</summary>
    [JsonStringEnumMemberName("CUSTOM")] Custom,
}

/// <summary>EC2 capacity type.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CapacityType>))]
public enum CapacityType
{
    /// <summary>On-demand instances.</summary>
    [JsonStringEnumMemberName("ON_DEMAND")] OnDemand,

    /// <summary>Spot instances.</summary>
    [JsonStringEnumMemberName("SPOT")] Spot,
}

/// <summary>SSH access to nodes.</summary>
public sealed record RemoteAccess
{
    /// <summary>EC2 key pair name.</summary>
    [Required]
    [Length(1, 255)]
    public string Ec2SshKey { get; set; } = "";

    /// <summary>Security groups allowed to reach port 22.</summary>
    [ListSet]
    [ItemPattern(CommonRules.SecurityGroupIdPattern)]
    public IList<string>? SourceSecurityGroups { get; set; }
}

/// <summary>A Kubernetes taint in the EKS API's spelling.</summary>
public sealed record Taint
{
    /// <summary>Taint key (1-63 characters).</summary>
    [Required]
    [Length(1, 63)]
    public string Key { get; set; } = "";

    /// <summary>Taint value (at most 63 characters).</summary>
    [Length(0, 63)]
    public string? Value { get; set; }

    /// <summary>NO_SCHEDULE, NO_EXECUTE or PREFER_NO_SCHEDULE.</summary>
    [Required]
    public TaintEffect Effect { get; set; }
}

/// <summary>Taint effect (EKS API spelling).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TaintEffect>))]
public enum TaintEffect
{
    /// <summary>NoSchedule.</summary>
    [JsonStringEnumMemberName("NO_SCHEDULE")] NoSchedule,

    /// <summary>NoExecute.</summary>
    [JsonStringEnumMemberName("NO_EXECUTE")] NoExecute,

    /// <summary>PreferNoSchedule.</summary>
    [JsonStringEnumMemberName("PREFER_NO_SCHEDULE")] PreferNoSchedule,
}

/// <summary>Node group update disruption budget: exactly one field.</summary>
[Rule("has(self.maxUnavailable) != has(self.maxUnavailablePercentage)",
    "spec.updateConfig: set exactly one of maxUnavailable or maxUnavailablePercentage")]
public sealed record NodeGroupUpdateConfig
{
    /// <summary>Nodes that may be unavailable at once (1-100).</summary>
    [Range(1, 100)]
    public int? MaxUnavailable { get; set; }

    /// <summary>Percentage of nodes that may be unavailable at once (1-100).</summary>
    [Range(1, 100)]
    public int? MaxUnavailablePercentage { get; set; }

    /// <summary>DEFAULT launches new nodes before terminating old ones; MINIMAL terminates first (scarce capacity such as GPUs).</summary>
    public NodeGroupUpdateStrategy? UpdateStrategy { get; set; }
}

/// <summary>How a node group replaces its nodes during a version update.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<NodeGroupUpdateStrategy>))]
public enum NodeGroupUpdateStrategy
{
    /// <summary>New nodes first, then the old ones are drained and terminated.</summary>
    [JsonStringEnumMemberName("DEFAULT")] Default,

    /// <summary>Old nodes are terminated before new ones are launched.</summary>
    [JsonStringEnumMemberName("MINIMAL")] Minimal,
}

/// <summary>EKS node auto repair of unhealthy nodes.</summary>
public sealed record NodeRepair
{
    /// <summary>Whether EKS repairs unhealthy nodes.</summary>
    [Required]
    public bool Enabled { get; set; }
}

/// <summary>An EC2 launch template: id or name (immutable), and version.</summary>
[Rule("has(self.id) != has(self.name)", "spec.launchTemplate: set exactly one of id or name")]
public sealed record LaunchTemplate
{
    /// <summary>Launch template id. Immutable.</summary>
    [Pattern("^lt-[0-9a-f]{8,17}$")]
    [Immutable(FreezePresence = true)]
    public string? Id { get; set; }

    /// <summary>Launch template name. Immutable.</summary>
    [Length(3, 128)]
    [Immutable(FreezePresence = true)]
    public string? Name { get; set; }

    /// <summary>Launch template version (number, $Latest or $Default).</summary>
    [Pattern("^([0-9]+|\\$Latest|\\$Default)$")]
    public string? Version { get; set; }
}

/// <summary>Observed state of a managed node group.</summary>
public sealed class ManagedNodeGroupStatus : ResourceStatus, IClusterChildStatus
{
    /// <summary>AWS cluster name the node group belongs to.</summary>
    public string? ClusterName { get; set; }

    /// <summary>Kubernetes minor of the nodes.</summary>
    public string? Version { get; set; }

    /// <summary>AMI release version.</summary>
    public string? ReleaseVersion { get; set; }

    /// <summary>Desired node count AWS reports.</summary>
    public int? DesiredSize { get; set; }

    /// <summary>Node IAM role in use.</summary>
    public string? NodeRoleArn { get; set; }

    /// <summary>True when the operator created the node role and will delete it.</summary>
    public bool? RoleCreated { get; set; }

    /// <summary>Auto Scaling groups of the node group.</summary>
    public IList<string>? AutoScalingGroups { get; set; }

    /// <summary>EKS health issues.</summary>
    public Health? Health { get; set; }
}
