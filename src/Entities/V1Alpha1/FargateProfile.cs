using System.Text.Json.Serialization;
using EksOperator.Entities.Schema;
using k8s;
using k8s.Models;

namespace EksOperator.Entities.V1Alpha1;

/// <summary>An EKS Fargate profile, declared.</summary>
[KubernetesEntity(Group = OperatorApi.Group, ApiVersion = OperatorApi.Version, Kind = "FargateProfile", PluralName = OperatorApi.Plurals.FargateProfiles)]
[EntityNames("fargateprofile", ["fp"], [OperatorApi.Category])]
[PrinterColumn(1, "Cluster", "string", ".spec.clusterRef.name")]
[PrinterColumn(2, "Status", "string", ".status.awsStatus")]
[PrinterColumn(3, "Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status")]
[PrinterColumn(4, "Reason", "string", ".status.conditions[?(@.type==\"Ready\")].reason", Description = "Why the object is or is not Ready")]
[PrinterColumn(5, "Message", "string", ".status.conditions[?(@.type==\"Ready\")].message", Priority = 1, Description = "What the operator is doing or waiting for")]
[PrinterColumn(6, "Age", "date", ".metadata.creationTimestamp")]
[SpecDescription("The Fargate profile the user wants.")]
public sealed class FargateProfile() : CustomResource<FargateProfileSpec, FargateProfileStatus>(KubeKind)
{
    /// <summary>Kind of this object.</summary>
    public const string KubeKind = "FargateProfile";
}

/// <summary>
/// Desired state of a Fargate profile. EKS profiles cannot change: everything but tags, deletionPolicy and
/// managementPolicy is immutable unless updateStrategy is Replace.
/// </summary>
[Rule(FargateRules.ImmutableUnlessReplace, FargateRules.ImmutableUnlessReplaceMessage)]
public sealed class FargateProfileSpec : ICommonSpec
{
    /// <summary>The EksCluster (same namespace) this profile belongs to. Immutable.</summary>
    [Required]
    [Immutable]
    public ClusterReference ClusterRef { get; set; } = new();

    /// <summary>AWS profile name; defaults to metadata.name (at most 54 characters, to leave room for a replacement suffix).</summary>
    [Length(1, 54)]
    [Pattern(CommonRules.NamePattern)]
    public string? Name { get; set; }

    /// <summary>
    /// Pod execution role. When absent the operator creates and owns one (trust eks-fargate-pods.amazonaws.com,
    /// AmazonEKSFargatePodExecutionRolePolicy).
    /// </summary>
    [Pattern(CommonRules.IamRoleArnPattern)]
    public string? PodExecutionRoleArn { get; set; }

    /// <summary>Private subnets for the pods.</summary>
    [Required]
    [Items(1, 16)]
    [ListSet]
    [ItemPattern(CommonRules.SubnetIdPattern)]
    public IList<string> SubnetIds { get; set; } = [];

    /// <summary>Which pods run on Fargate: 1 to 5 selectors.</summary>
    [Required]
    [Items(1, 5)]
    public IList<FargateSelector> Selectors { get; set; } = [];

    /// <summary>Immutable (default): spec changes are rejected. Replace: a changed spec creates a new profile, then deletes the old one.</summary>
    [Default(FargateUpdateStrategy.Immutable)]
    public FargateUpdateStrategy? UpdateStrategy { get; set; }

    /// <summary>
    /// What happens to the AWS profile when this object is deleted. Unset: as its cluster's deletionPolicy, so a
    /// retained cluster keeps its profiles; Delete deletes the profile even when the cluster is retained.
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

/// <summary>Selects pods by namespace and labels.</summary>
public sealed record FargateSelector
{
    /// <summary>Namespace of the pods (wildcards * and ? allowed).</summary>
    [Required]
    [Length(1, 63)]
    public string Namespace { get; set; } = "";

    /// <summary>Labels the pods must carry (at most 5).</summary>
    [MaxProperties(5)]
    public IDictionary<string, string>? Labels { get; set; }
}

/// <summary>How spec changes to a Fargate profile are handled.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FargateUpdateStrategy>))]
public enum FargateUpdateStrategy
{
    /// <summary>Spec changes are rejected at admission.</summary>
    Immutable,

    /// <summary>A changed spec creates a new profile and deletes the old one once the new one is ACTIVE.</summary>
    Replace,
}

/// <summary>Observed state of a Fargate profile.</summary>
public sealed class FargateProfileStatus : ResourceStatus, IClusterChildStatus
{
    /// <summary>AWS cluster name the profile belongs to.</summary>
    public string? ClusterName { get; set; }

    /// <summary>AWS name of the current profile (differs from spec.name after a replacement).</summary>
    public string? ProfileName { get; set; }

    /// <summary>Hash of the spec the current profile was created from.</summary>
    public string? SpecHash { get; set; }

    /// <summary>An older profile that is being replaced and will be deleted.</summary>
    public string? ReplacedProfileName { get; set; }

    /// <summary>Pod execution role in use.</summary>
    public string? PodExecutionRoleArn { get; set; }

    /// <summary>True when the operator created the pod execution role and will delete it.</summary>
    public bool? RoleCreated { get; set; }

    /// <summary>EKS health issues.</summary>
    public Health? Health { get; set; }
}

internal static class FargateRules
{

    public const string ImmutableUnlessReplaceMessage =
        "spec is immutable except tags, deletionPolicy and managementPolicy (EKS cannot change a Fargate profile); " +
        "set spec.updateStrategy: Replace to replace the profile instead";

    public const string ImmutableUnlessReplace =
        "(has(self.updateStrategy) && self.updateStrategy == 'Replace') || (" +
        "has(self.name) == has(oldSelf.name) && (!has(self.name) || self.name == oldSelf.name)" +
        " && has(self.podExecutionRoleArn) == has(oldSelf.podExecutionRoleArn) && (!has(self.podExecutionRoleArn) || self.podExecutionRoleArn == oldSelf.podExecutionRoleArn)" +
        " && self.subnetIds == oldSelf.subnetIds && self.selectors == oldSelf.selectors)";
}
