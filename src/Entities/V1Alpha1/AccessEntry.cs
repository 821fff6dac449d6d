using System.Text.Json.Serialization;
using EksOperator.Entities.Schema;
using k8s;
using k8s.Models;

namespace EksOperator.Entities.V1Alpha1;

/// <summary>An EKS access entry (an IAM principal's access to a cluster) and its access policies, declared.</summary>
[KubernetesEntity(Group = OperatorApi.Group, ApiVersion = OperatorApi.Version, Kind = "AccessEntry", PluralName = OperatorApi.Plurals.AccessEntries)]
[EntityNames("accessentry", ["ekae"], [OperatorApi.Category])]
[PrinterColumn(1, "Cluster", "string", ".spec.clusterRef.name")]
[PrinterColumn(2, "Principal", "string", ".spec.principalArn", Priority = 1)]
[PrinterColumn(3, "Type", "string", ".spec.type")]
[PrinterColumn(4, "Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status")]
[PrinterColumn(5, "Reason", "string", ".status.conditions[?(@.type==\"Ready\")].reason", Description = "Why the object is or is not Ready")]
[PrinterColumn(6, "Message", "string", ".status.conditions[?(@.type==\"Ready\")].message", Priority = 1, Description = "What the operator is doing or waiting for")]
[PrinterColumn(7, "Age", "date", ".metadata.creationTimestamp")]
[SpecDescription("The access the user wants.")]
public sealed class AccessEntry() : CustomResource<AccessEntrySpec, AccessEntryStatus>(KubeKind)
{
    /// <summary>Kind of this object.</summary>
    public const string KubeKind = "AccessEntry";
}

/// <summary>
/// Desired state of an access entry. Requires the cluster's spec.access.authenticationMode to be API or
/// API_AND_CONFIG_MAP.
/// </summary>
[Rule("!has(self.type) || self.type == 'STANDARD' || (!has(self.kubernetesGroups) && !has(self.username) && !has(self.accessPolicies))",
    "spec.kubernetesGroups, spec.username and spec.accessPolicies are only for type STANDARD (EKS sets them for node and Fargate types)")]
public sealed class AccessEntrySpec : ICommonSpec
{
    /// <summary>The EksCluster (same namespace) this entry belongs to. Immutable.</summary>
    [Required]
    [Immutable]
    public ClusterReference ClusterRef { get; set; } = new();

    /// <summary>The IAM role or user ARN that gets access. Immutable.</summary>
    [Required]
    [Immutable]
    [Pattern(AccessRules.PrincipalArnPattern)]
    public string PrincipalArn { get; set; } = "";

    /// <summary>The kind of principal; node and Fargate types get their Kubernetes permissions from EKS. Immutable.</summary>
    [Default(AccessEntryType.Standard)]
    [Immutable]
    public AccessEntryType? Type { get; set; }

    /// <summary>Kubernetes groups the principal is a member of (none may start with system:).</summary>
    [Items(0, 100)]
    [ListSet]
    [Rule("self.all(g, !g.startsWith('system:'))", "spec.kubernetesGroups: group names cannot start with system:")]
    public IList<string>? KubernetesGroups { get; set; }

    /// <summary>Kubernetes username; EKS picks one from the principal when unset.</summary>
    [Length(1, 255)]
    [Rule("!self.startsWith('system:') && !self.startsWith('eks:') && !self.startsWith('aws:') && !self.startsWith('amazon:') && !self.startsWith('iam:')",
        "spec.username cannot start with system:, eks:, aws:, amazon: or iam:")]
    public string? Username { get; set; }

    /// <summary>EKS access policies to associate, each with its scope; one entry per policy.</summary>
    [Items(0, 20)]
    [Rule("self.all(a, self.exists_one(b, b.policy == a.policy))", "spec.accessPolicies: each policy may appear only once")]
    public IList<AccessPolicyAssociation>? AccessPolicies { get; set; }

    /// <summary>
    /// What happens to the access entry when this object is deleted. Unset: as its cluster's deletionPolicy; Delete
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

/// <summary>One access policy and where in the cluster it applies.</summary>
public sealed record AccessPolicyAssociation
{
    /// <summary>A policy's short name (AmazonEKSClusterAdminPolicy, AmazonEKSAdminPolicy, AmazonEKSEditPolicy, AmazonEKSViewPolicy, ...) or its full ARN.</summary>
    [Required]
    [Pattern(AccessRules.PolicyPattern)]
    public string Policy { get; set; } = "";

    /// <summary>The whole cluster, or some namespaces.</summary>
    [Required]
    public AccessScope Scope { get; set; } = new();
}

/// <summary>Where an access policy applies.</summary>
[Rule("(self.type == 'namespace') == (has(self.namespaces) && size(self.namespaces) > 0)",
    "scope.namespaces is required when scope.type is namespace, and not allowed when it is cluster")]
public sealed record AccessScope
{
    /// <summary>cluster or namespace.</summary>
    [Required]
    public AccessScopeType Type { get; set; }

    /// <summary>Namespaces (wildcards such as dev-* allowed) when type is namespace.</summary>
    [Items(0, 100)]
    [ListSet]
    public IList<string>? Namespaces { get; set; }
}

/// <summary>The scope of an access policy.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AccessScopeType>))]
public enum AccessScopeType
{
    /// <summary>Every namespace and cluster-scoped resources.</summary>
    [JsonStringEnumMemberName("cluster")] Cluster,

    /// <summary>The listed namespaces only.</summary>
    [JsonStringEnumMemberName("namespace")] Namespace,
}

/// <summary>The kind of principal an access entry is for.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AccessEntryType>))]
public enum AccessEntryType
{
    /// <summary>A user or role that gets what its groups and access policies grant.</summary>
    [JsonStringEnumMemberName("STANDARD")] Standard,

    /// <summary>The node role of self-managed Linux nodes.</summary>
    [JsonStringEnumMemberName("EC2_LINUX")] Ec2Linux,

    /// <summary>The node role of self-managed Windows nodes.</summary>
    [JsonStringEnumMemberName("EC2_WINDOWS")] Ec2Windows,

    /// <summary>A Fargate pod execution role.</summary>
    [JsonStringEnumMemberName("FARGATE_LINUX")] FargateLinux,

    /// <summary>The role of hybrid nodes.</summary>
    [JsonStringEnumMemberName("HYBRID_LINUX")] HybridLinux,
}

/// <summary>Observed state of an access entry.</summary>
public sealed class AccessEntryStatus : ResourceStatus, IClusterChildStatus
{
    /// <summary>AWS cluster name the entry belongs to.</summary>
    public string? ClusterName { get; set; }

    /// <summary>The access entry's ARN.</summary>
    public string? AccessEntryArn { get; set; }

    /// <summary>The Kubernetes username, as EKS reports it.</summary>
    public string? Username { get; set; }

    /// <summary>The Kubernetes groups, as EKS reports them.</summary>
    public IList<string>? KubernetesGroups { get; set; }

    /// <summary>The access policies associated, as EKS reports them.</summary>
    public IList<AssociatedAccessPolicy>? AccessPolicies { get; set; }
}

/// <summary>An access policy EKS reports as associated.</summary>
public sealed record AssociatedAccessPolicy
{
    /// <summary>The policy ARN.</summary>
    public string PolicyArn { get; set; } = "";

    /// <summary>cluster or namespace.</summary>
    public string? ScopeType { get; set; }

    /// <summary>The namespaces, for a namespace scope.</summary>
    public IList<string>? Namespaces { get; set; }
}

internal static class AccessRules
{
    public const string PrincipalArnPattern = "^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/.+$";

    public const string PolicyPattern = "^([A-Za-z0-9]+|arn:aws[a-z-]*:eks::aws:cluster-access-policy/[A-Za-z0-9]+)$";
}
