using System.Text.Json.Serialization;
using EksOperator.Entities.Schema;

namespace EksOperator.Entities.V1Alpha1;

/// <summary>
/// EKS Auto Mode: EKS runs the nodes (compute), the EBS CSI driver (block storage) and the load balancer controller.
/// The three are always sent together and equal, as EKS requires.
/// </summary>
[Rule("!has(oldSelf.nodeRoleArn) || (has(self.nodeRoleArn) && self.nodeRoleArn == oldSelf.nodeRoleArn)",
    "spec.autoMode.nodeRoleArn cannot be changed or removed once set (EKS fixes the node role when Auto Mode compute is enabled)", FieldPath = ".nodeRoleArn")]
public sealed record AutoMode
{
    /// <summary>Turns Auto Mode on or off (through UpdateClusterConfig on an existing cluster).</summary>
    [Required]
    public bool Enabled { get; set; }

    /// <summary>
    /// Built-in node pools; default both. Empty: only node pools of your own, and then no nodeRoleArn (EKS takes a node
    /// role only with built-in pools; the operator reports that as Stalled, since admission cannot tell an empty list from none).
    /// </summary>
    [ListSet]
    [Items(0, 2)]
    public IList<AutoModeNodePool>? NodePools { get; set; }

    /// <summary>
    /// IAM role of the nodes Auto Mode launches. When absent (and node pools are used) the operator creates and owns
    /// "&lt;name&gt;-eks-auto-node" (trust ec2.amazonaws.com; AmazonEKSWorkerNodeMinimalPolicy, AmazonEC2ContainerRegistryPullOnly).
    /// Cannot change once set.
    /// </summary>
    [Pattern(CommonRules.IamRoleArnPattern)]
    public string? NodeRoleArn { get; set; }
}

/// <summary>The node pools EKS Auto Mode builds in.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AutoModeNodePool>))]
public enum AutoModeNodePool
{
    /// <summary>General workloads.</summary>
    [JsonStringEnumMemberName("general-purpose")] GeneralPurpose,

    /// <summary>Cluster-critical add-ons (tainted CriticalAddonsOnly).</summary>
    [JsonStringEnumMemberName("system")] System,
}

/// <summary>ARC zonal shift and zonal autoshift for the cluster.</summary>
public sealed record ZonalShift
{
    /// <summary>Whether zonal shift is enabled.</summary>
    [Required]
    public bool Enabled { get; set; }
}

/// <summary>Provisioned control plane capacity.</summary>
public sealed record ControlPlaneScaling
{
    /// <summary>The control plane tier; standard leaves Provisioned Control Plane.</summary>
    [Required]
    public ControlPlaneTier Tier { get; set; }
}

/// <summary>EKS control plane scaling tiers.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ControlPlaneTier>))]
public enum ControlPlaneTier
{
    /// <summary>The default, scaled by EKS.</summary>
    [JsonStringEnumMemberName("standard")] Standard,

    /// <summary>Provisioned XL.</summary>
    [JsonStringEnumMemberName("tier-xl")] TierXl,

    /// <summary>Provisioned 2XL.</summary>
    [JsonStringEnumMemberName("tier-2xl")] Tier2Xl,

    /// <summary>Provisioned 4XL.</summary>
    [JsonStringEnumMemberName("tier-4xl")] Tier4Xl,

    /// <summary>Provisioned 8XL.</summary>
    [JsonStringEnumMemberName("tier-8xl")] Tier8Xl,
}

/// <summary>Networks of hybrid nodes and their pods (EKS Hybrid Nodes). An empty list removes that kind.</summary>
public sealed record RemoteNetwork
{
    /// <summary>Where hybrid nodes live (at most one entry, as EKS allows).</summary>
    [Items(0, 1)]
    public IList<RemoteCidrs>? RemoteNodeNetworks { get; set; }

    /// <summary>Where pods on hybrid nodes get their addresses (at most one entry).</summary>
    [Items(0, 1)]
    public IList<RemoteCidrs>? RemotePodNetworks { get; set; }
}

/// <summary>A set of private (RFC 1918) CIDR blocks.</summary>
public sealed record RemoteCidrs
{
    /// <summary>1-15 IPv4 CIDR blocks, /8 to /32.</summary>
    [Required]
    [Items(1, 15)]
    [ListSet]
    [ItemPattern("^([0-9]{1,3}\\.){3}[0-9]{1,3}/([89]|[12][0-9]|3[0-2])$")]
    public IList<string> Cidrs { get; set; } = [];
}
