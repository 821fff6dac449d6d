using System.Text.Json.Serialization;
using EksOperator.Entities.Schema;
using k8s;
using k8s.Models;

namespace EksOperator.Entities.V1Alpha1;

/// <summary>An EKS Pod Identity association (a service account's IAM role), declared.</summary>
[KubernetesEntity(Group = OperatorApi.Group, ApiVersion = OperatorApi.Version, Kind = "PodIdentityAssociation", PluralName = OperatorApi.Plurals.PodIdentityAssociations)]
[EntityNames("podidentityassociation", ["ekpia"], [OperatorApi.Category])]
[PrinterColumn(1, "Cluster", "string", ".spec.clusterRef.name")]
[PrinterColumn(2, "Namespace", "string", ".spec.namespace")]
[PrinterColumn(3, "ServiceAccount", "string", ".spec.serviceAccount")]
[PrinterColumn(4, "Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status")]
[PrinterColumn(5, "Reason", "string", ".status.conditions[?(@.type==\"Ready\")].reason", Description = "Why the object is or is not Ready")]
[PrinterColumn(6, "Message", "string", ".status.conditions[?(@.type==\"Ready\")].message", Priority = 1, Description = "What the operator is doing or waiting for")]
[PrinterColumn(7, "Age", "date", ".metadata.creationTimestamp")]
[SpecDescription("The association the user wants.")]
public sealed class PodIdentityAssociation() : CustomResource<PodIdentityAssociationSpec, PodIdentityAssociationStatus>(KubeKind)
{
    /// <summary>Kind of this object.</summary>
    public const string KubeKind = "PodIdentityAssociation";
}

/// <summary>Desired state of a Pod Identity association: which role the pods of one service account get.</summary>
[Rule("has(self.roleArn) != has(self.policyArns)",
    "exactly one of spec.roleArn and spec.policyArns must be set (with policyArns the operator creates and owns the role)")]
public sealed class PodIdentityAssociationSpec : ICommonSpec
{
    /// <summary>The EksCluster (same namespace) the association belongs to. Immutable.</summary>
    [Required]
    [Immutable]
    public ClusterReference ClusterRef { get; set; } = new();

    /// <summary>The Kubernetes namespace of the service account (in the EKS cluster). Immutable.</summary>
    [Required]
    [Immutable]
    [Length(1, 63)]
    [Pattern(PodIdentityRules.DnsLabelPattern)]
    public string Namespace { get; set; } = "";

    /// <summary>The service account whose pods get the role. Immutable.</summary>
    [Required]
    [Immutable]
    [Length(1, 253)]
    [Pattern(PodIdentityRules.DnsSubdomainPattern)]
    public string ServiceAccount { get; set; } = "";

    /// <summary>An IAM role in the cluster's account, trusted by pods.eks.amazonaws.com (sts:AssumeRole and sts:TagSession).</summary>
    [Pattern(CommonRules.IamRoleArnPattern)]
    public string? RoleArn { get; set; }

    /// <summary>
    /// AWS managed or customer policies for a role the operator creates and owns (trusted by pods.eks.amazonaws.com);
    /// only the policies the operator's administrators allow (Aws:OwnedRolePolicies).
    /// </summary>
    [Items(1, 10)]
    [ListSet]
    [ItemPattern(PodIdentityRules.PolicyArnPattern)]
    public IList<string>? PolicyArns { get; set; }

    /// <summary>A role, possibly in another account, that Pod Identity assumes next (role chaining).</summary>
    [Pattern(CommonRules.IamRoleArnPattern)]
    public string? TargetRoleArn { get; set; }

    /// <summary>Leave out the session tags (cluster, namespace, service account, pod) that Pod Identity adds by default.</summary>
    public bool? DisableSessionTags { get; set; }

    /// <summary>
    /// What happens to the association when this object is deleted. Unset: as its cluster's deletionPolicy; Delete
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

/// <summary>Observed state of a Pod Identity association.</summary>
public sealed class PodIdentityAssociationStatus : ResourceStatus, IClusterChildStatus
{
    /// <summary>AWS cluster name the association belongs to.</summary>
    public string? ClusterName { get; set; }

    /// <summary>The association's ARN.</summary>
    public string? AssociationArn { get; set; }

    /// <summary>EKS's id of the association (a- and 17 characters).</summary>
    public string? AssociationId { get; set; }

    /// <summary>The add-on that owns the association, when one does (such associations are managed through the Addon).</summary>
    public string? OwnerArn { get; set; }

    /// <summary>The role the association uses.</summary>
    public string? RoleArn { get; set; }

    /// <summary>True when the operator created the role and will delete it.</summary>
    public bool? RoleCreated { get; set; }

    /// <summary>The external id EKS uses with the target role (for its trust policy's sts:ExternalId).</summary>
    public string? ExternalId { get; set; }

    /// <summary>The policies the owned role was last given (spec.policyArns then).</summary>
    public IList<string>? RolePolicyArns { get; set; }

    /// <summary>Installed or Missing: whether the cluster runs the eks-pod-identity-agent add-on (without it pods get no credentials).</summary>
    public string? PodIdentityAgent { get; set; }
}

internal static class PodIdentityRules
{
    public const string DnsLabelPattern = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

    public const string DnsSubdomainPattern = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    public const string PolicyArnPattern = "^arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/.+$";
}
