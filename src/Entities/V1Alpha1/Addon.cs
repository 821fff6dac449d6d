using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using EksOperator.Entities.Schema;
using k8s;
using k8s.Models;

namespace EksOperator.Entities.V1Alpha1;

/// <summary>An EKS add-on (vpc-cni, coredns, kube-proxy, ...) on a cluster, declared.</summary>
[KubernetesEntity(Group = OperatorApi.Group, ApiVersion = OperatorApi.Version, Kind = "Addon", PluralName = OperatorApi.Plurals.Addons)]
[EntityNames("addon", ["ekaddon"], [OperatorApi.Category])]
[PrinterColumn(1, "Cluster", "string", ".spec.clusterRef.name")]
[PrinterColumn(2, "Addon", "string", ".spec.name")]
[PrinterColumn(3, "Version", "string", ".status.version")]
[PrinterColumn(4, "Status", "string", ".status.awsStatus")]
[PrinterColumn(5, "Ready", "string", ".status.conditions[?(@.type==\"Ready\")].status")]
[PrinterColumn(6, "Reason", "string", ".status.conditions[?(@.type==\"Ready\")].reason", Description = "Why the object is or is not Ready")]
[PrinterColumn(7, "Message", "string", ".status.conditions[?(@.type==\"Ready\")].message", Priority = 1, Description = "What the operator is doing or waiting for")]
[PrinterColumn(8, "Age", "date", ".metadata.creationTimestamp")]
[SpecDescription("The add-on the user wants.")]
public sealed class Addon() : CustomResource<AddonSpec, AddonStatus>(KubeKind)
{
    /// <summary>Kind of this object.</summary>
    public const string KubeKind = "Addon";
}

/// <summary>Desired state of an EKS add-on.</summary>
[Rule("!has(self.serviceAccountRoleArn) || !has(self.podIdentityAssociations) || size(self.podIdentityAssociations) == 0",
    "spec.serviceAccountRoleArn (IRSA) and spec.podIdentityAssociations cannot be combined: choose one way to give the add-on AWS permissions")]
public sealed class AddonSpec : ICommonSpec
{
    /// <summary>The EksCluster (same namespace) the add-on runs on. Immutable.</summary>
    [Required]
    [Immutable]
    public ClusterReference ClusterRef { get; set; } = new();

    /// <summary>The EKS add-on name (vpc-cni, coredns, kube-proxy, eks-pod-identity-agent, aws-ebs-csi-driver, ...); defaults to metadata.name. Immutable.</summary>
    [Length(1, 100)]
    [Pattern("^[0-9A-Za-z][A-Za-z0-9\\-_]*$")]
    [Immutable(FreezePresence = true)]
    public string? Name { get; set; }

    /// <summary>
    /// default (EKS's default version for the cluster's Kubernetes minor), latest (the newest compatible version),
    /// or an explicit version such as v1.19.2-eksbuild.1. With default or latest the add-on follows cluster upgrades.
    /// </summary>
    [Default("default")]
    [Pattern("^(default|latest|v[0-9A-Za-z.+_-]+)$")]
    public string? Version { get; set; }

    /// <summary>The add-on's configuration (any JSON object), checked against the add-on version's schema before it is sent.</summary>
    public JsonObject? ConfigurationValues { get; set; }

    /// <summary>How EKS treats fields changed away from its defaults when it writes the add-on; a write-time option, never drift.</summary>
    [Default(AddonResolveConflicts.Overwrite)]
    public AddonResolveConflicts? ResolveConflicts { get; set; }

    /// <summary>An IAM role for the add-on's service account through IRSA.</summary>
    [Pattern(CommonRules.IamRoleArnPattern)]
    public string? ServiceAccountRoleArn { get; set; }

    /// <summary>Pod Identity associations the add-on owns, one per service account.</summary>
    [Items(0, 10)]
    [ListMap("serviceAccount")]
    public IList<AddonPodIdentity>? PodIdentityAssociations { get; set; }

    /// <summary>Keep the add-on's Kubernetes objects in the cluster when the add-on is deleted.</summary>
    [Default(false)]
    public bool? PreserveOnDelete { get; set; }

    /// <summary>
    /// What happens to the add-on when this object is deleted. Unset: as its cluster's deletionPolicy; Delete deletes
    /// it even when the cluster is retained.
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

/// <summary>The IAM role of one of the add-on's service accounts, through Pod Identity.</summary>
[Rule("has(self.roleArn) != has(self.policyArns)",
    "exactly one of roleArn and policyArns must be set (with policyArns the operator creates and owns the role)")]
public sealed record AddonPodIdentity
{
    /// <summary>The add-on's service account (one EKS lists in the version's pod identity configuration).</summary>
    [Required]
    [Length(1, 253)]
    public string ServiceAccount { get; set; } = "";

    /// <summary>An IAM role trusted by pods.eks.amazonaws.com.</summary>
    [Pattern(CommonRules.IamRoleArnPattern)]
    public string? RoleArn { get; set; }

    /// <summary>Policies for a role the operator creates and owns, named &lt;cluster&gt;-&lt;addon&gt;-&lt;serviceAccount&gt;.</summary>
    [Items(1, 10)]
    [ListSet]
    public IList<string>? PolicyArns { get; set; }
}

/// <summary>EKS's resolveConflicts option.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AddonResolveConflicts>))]
public enum AddonResolveConflicts
{
    /// <summary>Leave conflicting fields alone (the write may fail).</summary>
    [JsonStringEnumMemberName("NONE")] None,

    /// <summary>Reset conflicting fields to EKS's values.</summary>
    [JsonStringEnumMemberName("OVERWRITE")] Overwrite,

    /// <summary>Keep the values in the cluster.</summary>
    [JsonStringEnumMemberName("PRESERVE")] Preserve,
}

/// <summary>Observed state of an EKS add-on.</summary>
public sealed class AddonStatus : ResourceStatus, IClusterChildStatus
{
    /// <summary>AWS cluster name the add-on runs on.</summary>
    public string? ClusterName { get; set; }

    /// <summary>The add-on version that runs.</summary>
    public string? Version { get; set; }

    /// <summary>How the version was chosen: default, latest or pinned.</summary>
    public string? ResolvedFrom { get; set; }

    /// <summary>Versions compatible with the cluster's current minor (newest first, a short list).</summary>
    public IList<string>? CompatibleVersions { get; set; }

    /// <summary>EKS health issues.</summary>
    public Health? Health { get; set; }

    /// <summary>The Pod Identity associations the add-on owns.</summary>
    public IList<string>? PodIdentityAssociationArns { get; set; }

    /// <summary>The version the spec resolves to for the cluster's current minor (what the add-on is moved to).</summary>
    public string? TargetVersion { get; set; }

    /// <summary>The cluster's Kubernetes minor that status.targetVersion was chosen for.</summary>
    public string? KubernetesVersion { get; set; }

    /// <summary>The role of each service account as last sent to EKS (EKS reports only the associations' ARNs).</summary>
    public IList<AddonPodIdentityRole>? PodIdentityRoles { get; set; }

    /// <summary>Roles the operator created for service accounts given policyArns; deleted with the add-on.</summary>
    public IList<AddonPodIdentityRole>? OwnedRoles { get; set; }
}

/// <summary>The IAM role of one service account of the add-on.</summary>
public sealed record AddonPodIdentityRole
{
    /// <summary>The service account.</summary>
    public string ServiceAccount { get; set; } = "";

    /// <summary>The role.</summary>
    public string RoleArn { get; set; } = "";
}
