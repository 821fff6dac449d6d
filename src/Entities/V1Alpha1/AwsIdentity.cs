using EksOperator.Entities.Schema;
using k8s.Models;

namespace EksOperator.Entities.V1Alpha1;

/// <summary>
/// Which AWS account (a role the operator assumes) and region the objects of some namespaces use. Cluster-scoped: only
/// cluster administrators create them; a tenant can neither choose one nor see another namespace's.
/// </summary>
[KubernetesEntity(Group = OperatorApi.Group, ApiVersion = OperatorApi.Version, Kind = "AwsIdentity", PluralName = OperatorApi.Plurals.AwsIdentities)]
[EntityNames("awsidentity", ["awsid"], [])]
[ClusterScoped]
[PrinterColumn(1, "Account", "string", ".status.accountId", Description = "AWS account of the role")]
[PrinterColumn(2, "Region", "string", ".spec.region", Description = "Default region of the objects it serves")]
[PrinterColumn(3, "Role", "string", ".spec.roleArn", Priority = 1, Description = "The role the operator assumes")]
[PrinterColumn(4, "Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status")]
[PrinterColumn(5, "Reason", "string", ".status.conditions[?(@.type==\"Ready\")].reason", Description = "Why the identity is or is not Ready")]
[PrinterColumn(6, "Message", "string", ".status.conditions[?(@.type==\"Ready\")].message", Priority = 1, Description = "What the operator found")]
[PrinterColumn(7, "Age", "date", ".metadata.creationTimestamp")]
[SpecDescription("The role to assume and the namespaces whose objects use it.")]
public sealed class AwsIdentity() : CustomResource<AwsIdentitySpec, AwsIdentityStatus>(KubeKind)
{
    /// <summary>Kind of this object.</summary>
    public const string KubeKind = "AwsIdentity";
}

/// <summary>The role the operator assumes, how, and for which namespaces.</summary>
public sealed class AwsIdentitySpec : ICommonSpec
{
    /// <summary>The IAM role the operator assumes (STS AssumeRole) for the objects this identity serves.</summary>
    [Required]
    [Pattern(CommonRules.IamRoleArnPattern)]
    public string RoleArn { get; set; } = "";

    /// <summary>Sent as AssumeRole's ExternalId; the role's trust policy should require it (sts:ExternalId).</summary>
    [Length(2, 1224)]
    [Pattern("^[\\w+=,.@:/-]+$")]
    public string? ExternalId { get; set; }

    /// <summary>The role session name (CloudTrail shows it).</summary>
    [Default("eks-operator")]
    [Length(2, 64)]
    [Pattern("^[\\w+=,.@-]+$")]
    public string? SessionName { get; set; }

    /// <summary>Session length; the role's MaxSessionDuration must allow it, and a chained session gets at most an hour.</summary>
    [Default(3600)]
    [Range(900, 43200)]
    public int? SessionDurationSeconds { get; set; }

    /// <summary>Assume this role from another AwsIdentity's session (role chaining); absent: from the operator's own credentials.</summary>
    public IdentityReference? SourceIdentityRef { get; set; }

    /// <summary>Default region of the objects it serves (an EksCluster's spec.region still wins).</summary>
    [Pattern("^[a-z]{2}(-[a-z]+)+-[0-9]$")]
    public string? Region { get; set; }

    /// <summary>The namespaces whose objects use this identity.</summary>
    [Required]
    public NamespaceSelector NamespaceSelector { get; set; } = new();

    DeletionPolicy? ICommonSpec.DeletionPolicy => null;

    ManagementPolicy? ICommonSpec.ManagementPolicy => null;

    IDictionary<string, string>? ICommonSpec.Tags => null;
}

/// <summary>A reference to another AwsIdentity.</summary>
public sealed record IdentityReference
{
    /// <summary>metadata.name of the AwsIdentity.</summary>
    [Required]
    [Length(1, 253)]
    public string Name { get; set; } = "";
}

/// <summary>Namespaces by name or by label; a namespace that either names or labels select is served.</summary>
[Rule("has(self.matchNames) || has(self.matchLabels)", "spec.namespaceSelector needs matchNames or matchLabels")]
public sealed record NamespaceSelector
{
    /// <summary>Namespace names.</summary>
    [Items(1, 1000)]
    [ListSet]
    [ItemPattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    public IList<string>? MatchNames { get; set; }

    /// <summary>Labels a namespace must all carry.</summary>
    [MaxProperties(20)]
    [Rule("size(self) >= 1", "spec.namespaceSelector.matchLabels must name at least one label")]
    public IDictionary<string, string>? MatchLabels { get; set; }
}

/// <summary>What the operator found when it assumed the role.</summary>
public sealed class AwsIdentityStatus : ResourceStatus
{
    /// <summary>The account of the role.</summary>
    public string? AccountId { get; set; }

    /// <summary>The assumed session (arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION).</summary>
    public string? AssumedRoleArn { get; set; }

    /// <summary>The namespaces it serves now.</summary>
    public IList<string>? Namespaces { get; set; }

    /// <summary>When the operator last assumed the role.</summary>
    public DateTime? LastAssumedTime { get; set; }

    /// <summary>When the current session ends (the operator renews it a few minutes before).</summary>
    public DateTime? SessionExpiresAt { get; set; }
}
