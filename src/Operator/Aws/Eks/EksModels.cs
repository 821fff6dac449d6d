using System.Text.Json.Serialization;

namespace EksOperator.Aws.Eks;

// Shapes of the EKS 2017-11-01 model (restJson1), member names as on the wire (camelCase).
// Only the members the operator reads or writes; unknown response members are ignored.
// Path members (cluster name, nodegroup name, ...) are [JsonIgnore]: the client puts them in the URI.

#region Shared sub-shapes

public sealed record VpcConfigRequest
{
    public IReadOnlyList<string>? SubnetIds { get; init; }
    public IReadOnlyList<string>? SecurityGroupIds { get; init; }
    public bool? EndpointPublicAccess { get; init; }
    public bool? EndpointPrivateAccess { get; init; }
    public IReadOnlyList<string>? PublicAccessCidrs { get; init; }
}

public sealed record VpcConfigResponse
{
    public IReadOnlyList<string>? SubnetIds { get; init; }
    public IReadOnlyList<string>? SecurityGroupIds { get; init; }
    public string? ClusterSecurityGroupId { get; init; }
    public string? VpcId { get; init; }
    public bool EndpointPublicAccess { get; init; }
    public bool EndpointPrivateAccess { get; init; }
    public IReadOnlyList<string>? PublicAccessCidrs { get; init; }
}

public sealed record ElasticLoadBalancing
{
    public bool? Enabled { get; init; }
}

public sealed record KubernetesNetworkConfigRequest
{
    public string? ServiceIpv4Cidr { get; init; }
    public string? IpFamily { get; init; }
    public ElasticLoadBalancing? ElasticLoadBalancing { get; init; }
}

public sealed record KubernetesNetworkConfigResponse
{
    public string? ServiceIpv4Cidr { get; init; }
    public string? ServiceIpv6Cidr { get; init; }
    public string? IpFamily { get; init; }
    public ElasticLoadBalancing? ElasticLoadBalancing { get; init; }
}

public sealed record Logging
{
    public IReadOnlyList<LogSetup>? ClusterLogging { get; init; }
}

public sealed record LogSetup
{
    public IReadOnlyList<string>? Types { get; init; }
    public bool? Enabled { get; init; }
}

public sealed record EncryptionConfig
{
    public IReadOnlyList<string>? Resources { get; init; }
    public EncryptionProvider? Provider { get; init; }
}

public sealed record EncryptionProvider
{
    public string? KeyArn { get; init; }
}

public sealed record CreateAccessConfigRequest
{
    public bool? BootstrapClusterCreatorAdminPermissions { get; init; }
    public string? AuthenticationMode { get; init; }
}

public sealed record UpdateAccessConfigRequest
{
    public string? AuthenticationMode { get; init; }
}

public sealed record AccessConfigResponse
{
    public bool? BootstrapClusterCreatorAdminPermissions { get; init; }
    public string? AuthenticationMode { get; init; }
}

public sealed record UpgradePolicy
{
    public string? SupportType { get; init; }
}

public sealed record ZonalShiftConfig
{
    public bool? Enabled { get; init; }
}

public sealed record Identity
{
    public Oidc? Oidc { get; init; }
}

public sealed record Oidc
{
    public string? Issuer { get; init; }
}

public sealed record Certificate
{
    public string? Data { get; init; }
}

/// <summary>ClusterIssue, Issue (node groups) and FargateProfileIssue share this shape; codes stay strings (open enums).</summary>
public sealed record HealthIssue
{
    public string? Code { get; init; }
    public string? Message { get; init; }
    public IReadOnlyList<string>? ResourceIds { get; init; }
}

public sealed record Health
{
    public IReadOnlyList<HealthIssue>? Issues { get; init; }
}

#endregion

#region Clusters

public sealed record Cluster
{
    public string? Name { get; init; }
    public string? Arn { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
    public string? Version { get; init; }
    public string? Endpoint { get; init; }
    public string? RoleArn { get; init; }
    public VpcConfigResponse? ResourcesVpcConfig { get; init; }
    public KubernetesNetworkConfigResponse? KubernetesNetworkConfig { get; init; }
    public Logging? Logging { get; init; }
    public Identity? Identity { get; init; }
    public ClusterStatus Status { get; init; }
    public Certificate? CertificateAuthority { get; init; }
    public string? ClientRequestToken { get; init; }
    public string? PlatformVersion { get; init; }
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
    public IReadOnlyList<EncryptionConfig>? EncryptionConfig { get; init; }
    public string? Id { get; init; }
    public Health? Health { get; init; }
    public AccessConfigResponse? AccessConfig { get; init; }
    public UpgradePolicy? UpgradePolicy { get; init; }
    public ZonalShiftConfig? ZonalShiftConfig { get; init; }
    public bool? DeletionProtection { get; init; }
    public ComputeConfig? ComputeConfig { get; init; }
    public StorageConfig? StorageConfig { get; init; }
    public RemoteNetworkConfig? RemoteNetworkConfig { get; init; }
    public ControlPlaneScalingConfig? ControlPlaneScalingConfig { get; init; }
}

public sealed record CreateClusterRequest
{
    public required string Name { get; init; }
    public string? Version { get; init; }
    public required string RoleArn { get; init; }
    public required VpcConfigRequest ResourcesVpcConfig { get; init; }
    public KubernetesNetworkConfigRequest? KubernetesNetworkConfig { get; init; }
    public Logging? Logging { get; init; }

    /// <summary>Idempotency token, 33–126 characters for CreateCluster.</summary>
    public string? ClientRequestToken { get; init; }

    public IReadOnlyDictionary<string, string>? Tags { get; init; }
    public IReadOnlyList<EncryptionConfig>? EncryptionConfig { get; init; }
    public CreateAccessConfigRequest? AccessConfig { get; init; }
    public bool? BootstrapSelfManagedAddons { get; init; }
    public UpgradePolicy? UpgradePolicy { get; init; }
    public ZonalShiftConfig? ZonalShiftConfig { get; init; }
    public bool? DeletionProtection { get; init; }
    public ComputeConfig? ComputeConfig { get; init; }
    public StorageConfig? StorageConfig { get; init; }
    public RemoteNetworkConfig? RemoteNetworkConfig { get; init; }
    public ControlPlaneScalingConfig? ControlPlaneScalingConfig { get; init; }
}

public sealed record ListClustersRequest
{
    public int? MaxResults { get; init; }
    public string? NextToken { get; init; }
}

public sealed record ListClustersResponse
{
    public IReadOnlyList<string> Clusters { get; init; } = [];
    public string? NextToken { get; init; }
}

/// <summary>Only one kind of change per call (AWS: "Only one type of update can be allowed.").</summary>
public sealed record UpdateClusterConfigRequest
{
    [JsonIgnore]
    public required string Name { get; init; }

    public VpcConfigRequest? ResourcesVpcConfig { get; init; }
    public Logging? Logging { get; init; }
    public string? ClientRequestToken { get; init; }
    public UpdateAccessConfigRequest? AccessConfig { get; init; }
    public UpgradePolicy? UpgradePolicy { get; init; }
    public ZonalShiftConfig? ZonalShiftConfig { get; init; }
    public bool? DeletionProtection { get; init; }

    /// <summary>Only elasticLoadBalancing may change here (Auto Mode); the service network is fixed at create.</summary>
    public KubernetesNetworkConfigRequest? KubernetesNetworkConfig { get; init; }

    public ComputeConfig? ComputeConfig { get; init; }
    public StorageConfig? StorageConfig { get; init; }
    public RemoteNetworkConfig? RemoteNetworkConfig { get; init; }
    public ControlPlaneScalingConfig? ControlPlaneScalingConfig { get; init; }
}

/// <summary>Adds secrets encryption to a cluster that has none (it can never be changed or removed).</summary>
public sealed record AssociateEncryptionConfigRequest
{
    [JsonIgnore]
    public required string Name { get; init; }

    public required IReadOnlyList<EncryptionConfig> EncryptionConfig { get; init; }
    public string? ClientRequestToken { get; init; }
}

public sealed record UpdateClusterVersionRequest
{
    [JsonIgnore]
    public required string Name { get; init; }

    public required string Version { get; init; }
    public string? ClientRequestToken { get; init; }
    public bool? Force { get; init; }
}

#endregion

#region Updates

public sealed record Update
{
    public string? Id { get; init; }
    public UpdateStatus Status { get; init; }
    public string? Type { get; init; }
    public IReadOnlyList<UpdateParam>? Params { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
    public IReadOnlyList<UpdateError>? Errors { get; init; }
}

public sealed record UpdateParam
{
    public string? Type { get; init; }
    public string? Value { get; init; }
}

/// <summary>The model's ErrorDetail.</summary>
public sealed record UpdateError
{
    public string? ErrorCode { get; init; }
    public string? ErrorMessage { get; init; }
    public IReadOnlyList<string>? ResourceIds { get; init; }
}

public sealed record DescribeUpdateRequest
{
    public required string Name { get; init; }
    public required string UpdateId { get; init; }

    /// <summary>Required when the update belongs to a node group.</summary>
    public string? NodegroupName { get; init; }

    /// <summary>Required when the update belongs to an add-on.</summary>
    public string? AddonName { get; init; }

    /// <summary>Required when the update belongs to a capability.</summary>
    public string? CapabilityName { get; init; }
}

public sealed record ListUpdatesRequest
{
    public required string Name { get; init; }
    public string? NodegroupName { get; init; }
    public int? MaxResults { get; init; }
    public string? NextToken { get; init; }
}

public sealed record ListUpdatesResponse
{
    public IReadOnlyList<string> UpdateIds { get; init; } = [];
    public string? NextToken { get; init; }
}

#endregion

#region Node groups

public sealed record NodegroupScalingConfig
{
    public int? MinSize { get; init; }
    public int? MaxSize { get; init; }
    public int? DesiredSize { get; init; }
}

public sealed record RemoteAccessConfig
{
    public string? Ec2SshKey { get; init; }
    public IReadOnlyList<string>? SourceSecurityGroups { get; init; }
}

public sealed record Taint
{
    public string? Key { get; init; }
    public string? Value { get; init; }
    public TaintEffect Effect { get; init; }
}

public sealed record NodegroupResources
{
    public IReadOnlyList<AutoScalingGroup>? AutoScalingGroups { get; init; }
    public string? RemoteAccessSecurityGroup { get; init; }
}

public sealed record AutoScalingGroup
{
    public string? Name { get; init; }
}

public sealed record NodegroupUpdateConfig
{
    public int? MaxUnavailable { get; init; }
    public int? MaxUnavailablePercentage { get; init; }
    public string? UpdateStrategy { get; init; }
}

public sealed record LaunchTemplateSpecification
{
    public string? Name { get; init; }
    public string? Version { get; init; }
    public string? Id { get; init; }
}

public sealed record NodeRepairConfig
{
    public bool? Enabled { get; init; }
}

public sealed record Nodegroup
{
    public string? NodegroupName { get; init; }
    public string? NodegroupArn { get; init; }
    public string? ClusterName { get; init; }
    public string? Version { get; init; }
    public string? ReleaseVersion { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
    public DateTimeOffset? ModifiedAt { get; init; }
    public NodegroupStatus Status { get; init; }
    public string? CapacityType { get; init; }
    public NodegroupScalingConfig? ScalingConfig { get; init; }
    public IReadOnlyList<string>? InstanceTypes { get; init; }
    public IReadOnlyList<string>? Subnets { get; init; }
    public RemoteAccessConfig? RemoteAccess { get; init; }
    public string? AmiType { get; init; }
    public string? NodeRole { get; init; }
    public IReadOnlyDictionary<string, string>? Labels { get; init; }
    public IReadOnlyList<Taint>? Taints { get; init; }
    public NodegroupResources? Resources { get; init; }
    public int? DiskSize { get; init; }
    public Health? Health { get; init; }
    public NodegroupUpdateConfig? UpdateConfig { get; init; }
    public NodeRepairConfig? NodeRepairConfig { get; init; }
    public LaunchTemplateSpecification? LaunchTemplate { get; init; }
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
}

public sealed record CreateNodegroupRequest
{
    [JsonIgnore]
    public required string ClusterName { get; init; }

    public required string NodegroupName { get; init; }
    public NodegroupScalingConfig? ScalingConfig { get; init; }
    public int? DiskSize { get; init; }
    public required IReadOnlyList<string> Subnets { get; init; }
    public IReadOnlyList<string>? InstanceTypes { get; init; }
    public string? AmiType { get; init; }
    public RemoteAccessConfig? RemoteAccess { get; init; }
    public required string NodeRole { get; init; }
    public IReadOnlyDictionary<string, string>? Labels { get; init; }
    public IReadOnlyList<Taint>? Taints { get; init; }
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
    public string? ClientRequestToken { get; init; }
    public LaunchTemplateSpecification? LaunchTemplate { get; init; }
    public NodegroupUpdateConfig? UpdateConfig { get; init; }
    public NodeRepairConfig? NodeRepairConfig { get; init; }
    public string? CapacityType { get; init; }
    public string? Version { get; init; }
    public string? ReleaseVersion { get; init; }
}

public sealed record ListNodegroupsRequest
{
    public required string ClusterName { get; init; }
    public int? MaxResults { get; init; }
    public string? NextToken { get; init; }
}

public sealed record ListNodegroupsResponse
{
    public IReadOnlyList<string> Nodegroups { get; init; } = [];
    public string? NextToken { get; init; }
}

public sealed record UpdateLabelsPayload
{
    public IReadOnlyDictionary<string, string>? AddOrUpdateLabels { get; init; }
    public IReadOnlyList<string>? RemoveLabels { get; init; }
}

public sealed record UpdateTaintsPayload
{
    public IReadOnlyList<Taint>? AddOrUpdateTaints { get; init; }
    public IReadOnlyList<Taint>? RemoveTaints { get; init; }
}

public sealed record UpdateNodegroupConfigRequest
{
    [JsonIgnore]
    public required string ClusterName { get; init; }

    [JsonIgnore]
    public required string NodegroupName { get; init; }

    public UpdateLabelsPayload? Labels { get; init; }
    public UpdateTaintsPayload? Taints { get; init; }
    public NodegroupScalingConfig? ScalingConfig { get; init; }
    public NodegroupUpdateConfig? UpdateConfig { get; init; }
    public NodeRepairConfig? NodeRepairConfig { get; init; }
    public string? ClientRequestToken { get; init; }
}

public sealed record UpdateNodegroupVersionRequest
{
    [JsonIgnore]
    public required string ClusterName { get; init; }

    [JsonIgnore]
    public required string NodegroupName { get; init; }

    public string? Version { get; init; }
    public string? ReleaseVersion { get; init; }
    public LaunchTemplateSpecification? LaunchTemplate { get; init; }
    public bool? Force { get; init; }
    public string? ClientRequestToken { get; init; }
}

#endregion

#region Wire envelopes (internal)

internal sealed record ClusterEnvelope(Cluster? Cluster);

internal sealed record NodegroupEnvelope(Nodegroup? Nodegroup);

internal sealed record FargateProfileEnvelope(FargateProfile? FargateProfile);

internal sealed record UpdateEnvelope(Update? Update);

internal sealed record TagsEnvelope(IReadOnlyDictionary<string, string>? Tags);

internal sealed record TagResourceBody(IReadOnlyDictionary<string, string> Tags);

internal sealed record DescribeClusterVersionsResponse(IReadOnlyList<ClusterVersionInformation>? ClusterVersions, string? NextToken);

/// <summary>
/// The model's ClusterVersionInformation. Statuses stay strings: <c>versionStatus</c> is UNSUPPORTED | STANDARD_SUPPORT |
/// EXTENDED_SUPPORT, the deprecated <c>status</c> is modelled lower-case (standard-support) but may carry either spelling.
/// </summary>
internal sealed record ClusterVersionInformation
{
    public string? ClusterVersion { get; init; }
    public string? ClusterType { get; init; }
    public string? DefaultPlatformVersion { get; init; }
    public bool? DefaultVersion { get; init; }
    public DateTimeOffset? ReleaseDate { get; init; }
    public DateTimeOffset? EndOfStandardSupportDate { get; init; }
    public DateTimeOffset? EndOfExtendedSupportDate { get; init; }
    public string? Status { get; init; }
    public string? VersionStatus { get; init; }
    public string? KubernetesPatchVersion { get; init; }
}

#endregion
