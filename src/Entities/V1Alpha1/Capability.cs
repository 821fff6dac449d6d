using System.Text.Json.Serialization;
using EksOperator.Entities.Schema;
using k8s;
using k8s.Models;

namespace EksOperator.Entities.V1Alpha1;

/// <summary>An EKS capability (managed Argo CD, AWS Controllers for Kubernetes, or kro) on a cluster, declared.</summary>
[KubernetesEntity(Group = OperatorApi.Group, ApiVersion = OperatorApi.Version, Kind = "Capability", PluralName = OperatorApi.Plurals.Capabilities)]
[EntityNames("capability", ["ekcap"], [OperatorApi.Category])]
[PrinterColumn(1, "Cluster", "string", ".spec.clusterRef.name")]
[PrinterColumn(2, "Type", "string", ".spec.type")]
[PrinterColumn(3, "Status", "string", ".status.awsStatus")]
[PrinterColumn(4, "Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status")]
[PrinterColumn(5, "Reason", "string", ".status.conditions[?(@.type==\"Ready\")].reason", Description = "Why the object is or is not Ready")]
[PrinterColumn(6, "Message", "string", ".status.conditions[?(@.type==\"Ready\")].message", Priority = 1, Description = "What the operator is doing or waiting for")]
[PrinterColumn(7, "Age", "date", ".metadata.creationTimestamp")]
[SpecDescription("The capability the user wants.")]
public sealed class Capability() : CustomResource<CapabilitySpec, CapabilityStatus>(KubeKind)
{
    /// <summary>Kind of this object.</summary>
    public const string KubeKind = "Capability";
}

/// <summary>Desired state of an EKS capability.</summary>
[Rule("self.type == 'ARGOCD' ? has(self.configuration) && has(self.configuration.argoCd) : !has(self.configuration) || !has(self.configuration.argoCd)",
    "spec.configuration.argoCd is required for type ARGOCD (IAM Identity Center is mandatory) and allowed only for it")]
public sealed class CapabilitySpec : ICommonSpec
{
    /// <summary>The EksCluster (same namespace) the capability runs for. Immutable.</summary>
    [Required]
    [Immutable]
    public ClusterReference ClusterRef { get; set; } = new();

    /// <summary>The EKS capability name, unique on its cluster; defaults to metadata.name. Immutable.</summary>
    [Length(1, 100)]
    [Pattern("^[0-9A-Za-z][A-Za-z0-9\\-_]*$")]
    [Immutable(FreezePresence = true)]
    public string? Name { get; set; }

    /// <summary>ARGOCD, ACK or KRO; a cluster has at most one capability of each type. Immutable.</summary>
    [Required]
    [Immutable]
    public CapabilityType Type { get; set; }

    /// <summary>
    /// An IAM role in the cluster's account trusted by capabilities.eks.amazonaws.com (sts:AssumeRole and
    /// sts:TagSession). Unset: the operator creates and owns one with no policies (attach the policies ACK needs).
    /// </summary>
    [Pattern(CommonRules.IamRoleArnPattern)]
    public string? RoleArn { get; set; }

    /// <summary>The type's configuration (only Argo CD has one).</summary>
    public CapabilityConfiguration? Configuration { get; set; }

    /// <summary>What EKS does with the capability's Kubernetes objects when it is deleted; RETAIN (keep them) is the only value.</summary>
    [Default(CapabilityDeletePropagation.Retain)]
    public CapabilityDeletePropagation? DeletePropagation { get; set; }

    /// <summary>
    /// What happens to the capability when this object is deleted. Unset: as its cluster's deletionPolicy; Delete
    /// deletes it even when the cluster is retained.
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

/// <summary>EKS's capability types.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CapabilityType>))]
public enum CapabilityType
{
    /// <summary>Managed Argo CD.</summary>
    [JsonStringEnumMemberName("ARGOCD")] ArgoCd,

    /// <summary>AWS Controllers for Kubernetes.</summary>
    [JsonStringEnumMemberName("ACK")] Ack,

    /// <summary>Kube Resource Orchestrator.</summary>
    [JsonStringEnumMemberName("KRO")] Kro,
}

/// <summary>EKS's deletePropagationPolicy.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CapabilityDeletePropagation>))]
public enum CapabilityDeletePropagation
{
    /// <summary>Keep the capability's CRDs and custom resources in the cluster.</summary>
    [JsonStringEnumMemberName("RETAIN")] Retain,
}

/// <summary>A capability's configuration, as EKS takes it.</summary>
public sealed record CapabilityConfiguration
{
    /// <summary>Argo CD's configuration (required for type ARGOCD).</summary>
    public ArgoCdConfiguration? ArgoCd { get; set; }
}

/// <summary>Managed Argo CD: its IAM Identity Center instance, namespace, role mappings and network access.</summary>
public sealed record ArgoCdConfiguration
{
    /// <summary>The Kubernetes namespace Argo CD's objects live in (EKS picks one when unset). Immutable.</summary>
    [Immutable(FreezePresence = true)]
    [Length(1, 63)]
    public string? Namespace { get; set; }

    /// <summary>The IAM Identity Center instance users sign in with. Immutable.</summary>
    [Required]
    [Immutable]
    public ArgoCdAwsIdc AwsIdc { get; set; } = new();

    /// <summary>Which Identity Center users and groups get which Argo CD role; changed in place.</summary>
    [Items(0, 3)]
    [ListMap("role")]
    public IList<ArgoCdRoleMapping>? RbacRoleMappings { get; set; }

    /// <summary>VPC endpoints Argo CD is reached through (public access is then blocked); changed in place.</summary>
    public ArgoCdNetworkAccess? NetworkAccess { get; set; }
}

/// <summary>An IAM Identity Center instance.</summary>
public sealed record ArgoCdAwsIdc
{
    /// <summary>The instance's ARN.</summary>
    [Required]
    [Pattern("^arn:aws[a-z-]*:sso:::instance/.+$")]
    public string IdcInstanceArn { get; set; } = "";

    /// <summary>The instance's region, when not the cluster's.</summary>
    public string? IdcRegion { get; set; }
}

/// <summary>The Identity Center identities given one Argo CD role.</summary>
public sealed record ArgoCdRoleMapping
{
    /// <summary>ADMIN, EDITOR or VIEWER.</summary>
    [Required]
    public ArgoCdRole Role { get; set; }

    /// <summary>Users and groups.</summary>
    [Required]
    [Items(1, 100)]
    public IList<SsoIdentity> Identities { get; set; } = [];
}

/// <summary>An Argo CD role.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ArgoCdRole>))]
public enum ArgoCdRole
{
    /// <summary>Full control.</summary>
    [JsonStringEnumMemberName("ADMIN")] Admin,

    /// <summary>Create and change applications.</summary>
    [JsonStringEnumMemberName("EDITOR")] Editor,

    /// <summary>Read only.</summary>
    [JsonStringEnumMemberName("VIEWER")] Viewer,
}

/// <summary>An IAM Identity Center user or group.</summary>
public sealed record SsoIdentity
{
    /// <summary>The Identity Center id of the user or group.</summary>
    [Required]
    [Length(1, 256)]
    public string Id { get; set; } = "";

    /// <summary>SSO_USER or SSO_GROUP.</summary>
    [Required]
    public SsoIdentityType Type { get; set; }
}

/// <summary>What an <see cref="SsoIdentity"/> is.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SsoIdentityType>))]
public enum SsoIdentityType
{
    /// <summary>One user.</summary>
    [JsonStringEnumMemberName("SSO_USER")] User,

    /// <summary>A group.</summary>
    [JsonStringEnumMemberName("SSO_GROUP")] Group,
}

/// <summary>How Argo CD is reached.</summary>
public sealed record ArgoCdNetworkAccess
{
    /// <summary>VPC endpoint ids (vpce-...).</summary>
    [Items(0, 10)]
    [ListSet]
    [ItemPattern("^vpce-[0-9a-f]{8,17}$")]
    public IList<string>? VpceIds { get; set; }
}

/// <summary>Observed state of an EKS capability.</summary>
public sealed class CapabilityStatus : ResourceStatus, IClusterChildStatus
{
    /// <summary>AWS cluster name the capability belongs to.</summary>
    public string? ClusterName { get; set; }

    /// <summary>The capability type EKS reports.</summary>
    public string? Type { get; set; }

    /// <summary>The version of the capability's software (EKS patches it itself).</summary>
    public string? Version { get; set; }

    /// <summary>EKS health issues (AccessDenied, ClusterUnreachable).</summary>
    public Health? Health { get; set; }

    /// <summary>The role the capability uses.</summary>
    public string? RoleArn { get; set; }

    /// <summary>True when the operator created the role and will delete it.</summary>
    public bool? RoleCreated { get; set; }

    /// <summary>Argo CD's URL (type ARGOCD).</summary>
    public string? ServerUrl { get; set; }

    /// <summary>The Identity Center application EKS made for Argo CD (type ARGOCD).</summary>
    public string? IdcManagedApplicationArn { get; set; }
}
