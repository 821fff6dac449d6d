using System.Text.Json.Nodes;

namespace EksOperator.Simulators.Aws.Internal;

internal sealed class Vpc
{
    public required string Id { get; init; }
    public required string CidrBlock { get; init; }
    public required string AssociationId { get; init; }
    public required string DhcpOptionsId { get; init; }
    public bool IsDefault { get; init; }
    public Dictionary<string, string> Tags { get; init; } = new(StringComparer.Ordinal);
}

internal sealed class Subnet
{
    public required string Id { get; init; }
    public required string VpcId { get; init; }
    public required string CidrBlock { get; init; }
    public required string AvailabilityZone { get; init; }
    public required string AvailabilityZoneId { get; init; }
    public bool MapPublicIpOnLaunch { get; init; }
    public bool DefaultForAz { get; init; }

    /// <summary>No route to an internet gateway (what Fargate requires); the simulator's stand-in for route tables.</summary>
    public bool Private { get; init; }

    public int AvailableIpAddressCount { get; init; }
    public Dictionary<string, string> Tags { get; init; } = new(StringComparer.Ordinal);
}

internal sealed class SecurityGroup
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Description { get; init; }
    public required string VpcId { get; init; }

    /// <summary>The default group's rule: all traffic from members of the group itself.</summary>
    public bool IngressFromSelf { get; init; }

    public Dictionary<string, string> Tags { get; init; } = new(StringComparer.Ordinal);
}

internal sealed class Role
{
    public required string Name { get; init; }
    public required string Path { get; init; }
    public required string Id { get; init; }
    public required string Arn { get; init; }
    public required DateTimeOffset CreateDate { get; init; }
    public required string AssumeRolePolicyDocument { get; set; }
    public string? Description { get; set; }
    public int MaxSessionDuration { get; set; } = 3600;
    public string? PermissionsBoundary { get; set; }

    /// <summary>IAM is eventually consistent: EKS cannot assume the role before this instant.</summary>
    public DateTimeOffset UsableAt { get; init; }

    public List<KeyValuePair<string, string>> Tags { get; } = [];
    public List<string> AttachedPolicies { get; } = [];

    /// <summary>Inline policies by name (IAM names are case-insensitive), each a JSON document.</summary>
    public SortedDictionary<string, string> InlinePolicies { get; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>An IAM OpenID Connect provider (IRSA): its URL without the scheme, audiences and thumbprints.</summary>
internal sealed class OidcProvider
{
    public required string Arn { get; init; }
    public required string Url { get; init; }
    public required DateTimeOffset CreateDate { get; init; }
    public List<string> ClientIds { get; } = [];
    public List<string> Thumbprints { get; } = [];
    public List<KeyValuePair<string, string>> Tags { get; } = [];
}

internal sealed class EksUpdate
{
    public required string Id { get; init; }
    public required string Type { get; init; }
    public string Status { get; set; } = "InProgress";
    public required List<KeyValuePair<string, string>> Params { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset CompletesAt { get; init; }

    /// <summary>Node group the update belongs to; null for control-plane updates.</summary>
    public string? Nodegroup { get; init; }

    /// <summary>Add-on the update belongs to (AddonUpdate); null otherwise.</summary>
    public string? Addon { get; init; }

    /// <summary>Capability the update belongs to (CapabilityUpdate); null otherwise.</summary>
    public string? Capability { get; init; }

    /// <summary>Applied when the update turns Successful; an <see cref="AwsErrorException"/> from it makes the update Failed.</summary>
    public Action? Apply { get; init; }

    /// <summary>Why a Failed update failed (Update.errors).</summary>
    public List<UpdateError> Errors { get; } = [];
}

/// <summary>One entry of a cluster's health.issues (ClusterIssue); set through the control API.</summary>
internal sealed record ClusterHealthIssue(string Code, string Message, IReadOnlyList<string> ResourceIds);

/// <summary>One entry of Update.errors: an EKS ErrorCode, its message and the resources concerned.</summary>
internal sealed record UpdateError(string Code, string Message, IReadOnlyList<string> ResourceIds);

internal sealed class Cluster
{
    public required string Name { get; init; }
    public required string Arn { get; init; }
    public required string Id { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required string Version { get; set; }
    public string PlatformVersion { get; set; } = "eks.1";
    public required string RoleArn { get; init; }
    public string Status { get; set; } = "CREATING";

    /// <summary>When CREATING turns ACTIVE, or DELETING turns into 404.</summary>
    public DateTimeOffset TransitionAt { get; set; }

    public List<string> SubnetIds { get; set; } = [];
    public List<string> SecurityGroupIds { get; set; } = [];
    public bool EndpointPublicAccess { get; set; } = true;
    public bool EndpointPrivateAccess { get; set; }
    public List<string> PublicAccessCidrs { get; set; } = ["0.0.0.0/0"];
    public required string ClusterSecurityGroupId { get; init; }
    public required string VpcId { get; init; }
    public string ServiceIpv4Cidr { get; init; } = "10.100.0.0/16";
    public string IpFamily { get; init; } = "ipv4";

    /// <summary>
    /// Auto Mode's three capabilities: null until a request set them (a cluster that never had Auto Mode reports no
    /// computeConfig, and elasticLoadBalancing only as sent at create).
    /// </summary>
    public bool? ComputeEnabled { get; set; }

    public List<string> NodePools { get; set; } = [];
    public string? NodeRoleArn { get; set; }
    public bool? BlockStorageEnabled { get; set; }
    public bool? ElasticLoadBalancingEnabled { get; set; }
    public bool? ZonalShiftEnabled { get; set; }

    /// <summary>The provisioned control plane tier; null until one was set (reported as standard).</summary>
    public string? ControlPlaneTier { get; set; }

    public List<string> RemoteNodeCidrs { get; set; } = [];
    public List<string> RemotePodCidrs { get; set; } = [];
    public SortedSet<string> EnabledLogTypes { get; set; } = new(StringComparer.Ordinal);
    public string AuthenticationMode { get; set; } = "CONFIG_MAP";
    public bool BootstrapClusterCreatorAdminPermissions { get; init; } = true;
    public string SupportType { get; set; } = "EXTENDED";
    public JsonNode? EncryptionConfig { get; set; }
    public bool DeletionProtection { get; set; }
    public bool? BootstrapSelfManagedAddons { get; init; }
    public string? ClientRequestToken { get; init; }
    public Dictionary<string, string> Tags { get; init; } = new(StringComparer.Ordinal);
    public List<EksUpdate> Updates { get; } = [];
    public SortedDictionary<string, Nodegroup> Nodegroups { get; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, FargateProfile> FargateProfiles { get; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, Addon> Addons { get; } = new(StringComparer.Ordinal);

    /// <summary>Access entries by principal ARN; they live and die with the cluster.</summary>
    public SortedDictionary<string, AccessEntry> AccessEntries { get; } = new(StringComparer.Ordinal);

    /// <summary>Pod Identity associations by id, in creation order; they live and die with the cluster.</summary>
    public OrderedDictionary<string, PodIdentityAssociation> PodIdentityAssociations { get; } = new(StringComparer.Ordinal);

    /// <summary>DescribeCluster's health.issues; set through the control API, and what the cluster health insight reads.</summary>
    public List<ClusterHealthIssue> HealthIssues { get; set; } = [];

    /// <summary>Refresh times, injected insights and status history of the cluster's insights (InsightBook).</summary>
    public ClusterInsights Insights { get; } = new();


    /// <summary>Capabilities by name; a cluster has at most one of each type.</summary>
    public SortedDictionary<string, Capability> Capabilities { get; } = new(StringComparer.Ordinal);

    public EksUpdate? InFlightClusterUpdate => Updates.Find(u => u.Nodegroup is null && u.Addon is null && u.Capability is null && u.Status == "InProgress");
}

internal sealed class Nodegroup
{
    public required string Name { get; init; }
    public required string Arn { get; init; }
    public required string ClusterName { get; init; }
    public required string Uuid { get; init; }
    public required string Version { get; set; }
    public required string ReleaseVersion { get; set; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset ModifiedAt { get; set; }
    public string Status { get; set; } = "CREATING";
    public DateTimeOffset TransitionAt { get; set; }
    public string CapacityType { get; init; } = "ON_DEMAND";
    public int MinSize { get; set; } = 1;
    public int MaxSize { get; set; } = 2;
    public int DesiredSize { get; set; } = 2;
    public List<string>? InstanceTypes { get; init; }
    public required List<string> Subnets { get; init; }
    public JsonNode? RemoteAccess { get; init; }
    public required string AmiType { get; init; }
    public required string NodeRole { get; init; }
    public Dictionary<string, string> Labels { get; set; } = new(StringComparer.Ordinal);
    public List<Taint> Taints { get; set; } = [];
    public int? DiskSize { get; init; }
    public int? MaxUnavailable { get; set; } = 1;
    public int? MaxUnavailablePercentage { get; set; }
    public string? UpdateStrategy { get; set; }
    public JsonNode? LaunchTemplate { get; set; }
    public JsonNode? NodeRepairConfig { get; set; }
    public Dictionary<string, string> Tags { get; init; } = new(StringComparer.Ordinal);
}

internal sealed record Taint(string Key, string? Value, string Effect);

internal sealed class FargateProfile
{
    public required string Name { get; init; }
    public required string Arn { get; init; }
    public required string ClusterName { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required string PodExecutionRoleArn { get; init; }
    public required List<string> Subnets { get; init; }
    public required JsonArray Selectors { get; init; }
    public string Status { get; set; } = "CREATING";
    public DateTimeOffset TransitionAt { get; set; }
    public Dictionary<string, string> Tags { get; init; } = new(StringComparer.Ordinal);
}

/// <summary>A remembered clientRequestToken: what it was sent with and what it produced.</summary>
internal sealed record IdempotencyRecord(string Fingerprint, Func<JsonNode?> Replay);
