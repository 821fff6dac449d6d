using System.Text.Json.Serialization;
using EksOperator.Entities.Schema;
using k8s;
using k8s.Models;

namespace EksOperator.Entities.V1Alpha1;

/// <summary>What happens to the AWS resource when the object is deleted.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DeletionPolicy>))]
public enum DeletionPolicy
{
    /// <summary>Delete the AWS resource.</summary>
    Delete,

    /// <summary>Leave the AWS resource in place.</summary>
    Retain,
}

/// <summary>Whether the operator may change AWS.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ManagementPolicy>))]
public enum ManagementPolicy
{
    /// <summary>Create, update and delete the AWS resource.</summary>
    Manage,

    /// <summary>Read AWS and report drift in status; never mutate.</summary>
    ObserveOnly,
}

/// <summary>A reference to an EksCluster in the same namespace.</summary>
public sealed record ClusterReference
{
    /// <summary>metadata.name of the EksCluster.</summary>
    [Required]
    [Length(1, 253)]
    public string Name { get; set; } = "";
}

/// <summary>One field where AWS differs from the spec.</summary>
public sealed record DriftEntry
{
    /// <summary>Path of the spec field, e.g. <c>spec.logging</c>.</summary>
    [Required]
    public string Field { get; set; } = "";

    /// <summary>The value the spec asks for.</summary>
    public string? Desired { get; set; }

    /// <summary>The value AWS reports.</summary>
    public string? Actual { get; set; }
}

/// <summary>An EKS update that is in flight.</summary>
public sealed record ActiveUpdate
{
    /// <summary>The EKS update id.</summary>
    [Required]
    public string Id { get; set; } = "";

    /// <summary>The EKS update type, e.g. VersionUpdate.</summary>
    public string? Type { get; set; }

    /// <summary>The EKS update status, e.g. InProgress.</summary>
    public string? Status { get; set; }
}

/// <summary>A health issue EKS reports.</summary>
public sealed record HealthIssue
{
    /// <summary>EKS issue code.</summary>
    public string? Code { get; set; }

    /// <summary>EKS issue message.</summary>
    public string? Message { get; set; }

    /// <summary>AWS resources involved.</summary>
    public IList<string>? ResourceIds { get; set; }
}

/// <summary>EKS health of a resource.</summary>
public sealed record Health
{
    /// <summary>Issues EKS reports; empty when healthy.</summary>
    public IList<HealthIssue>? Issues { get; set; }
}

/// <summary>Status fields every kind shares.</summary>
public abstract class ResourceStatus
{
    /// <summary>The metadata.generation whose spec this status describes.</summary>
    public long? ObservedGeneration { get; set; }

    /// <summary>Ready, Reconciling and Stalled (kstatus).</summary>
    [ListMap("type")]
    public IList<V1Condition>? Conditions { get; set; }

    /// <summary>The status AWS reports (CREATING, ACTIVE, UPDATING, DELETING, FAILED, DEGRADED, ...).</summary>
    public string? AwsStatus { get; set; }

    /// <summary>ARN of the AWS resource.</summary>
    public string? Arn { get; set; }

    /// <summary>The EKS update in flight, if any.</summary>
    public ActiveUpdate? ActiveUpdate { get; set; }

    /// <summary>Fields where AWS differs from the spec (ObserveOnly, or while a correction is pending).</summary>
    public IList<DriftEntry>? Drift { get; set; }

    /// <summary>The AwsIdentity the operator acted as for this object, and its account; absent: the operator's own identity.</summary>
    public IdentityInUse? Identity { get; set; }

    /// <summary>
    /// The shard whose replicas reconcile the object (the value of its eks.operator.dev/shard label, or "default");
    /// absent once that shard has released it after a relabel, until the new shard takes it over.
    /// </summary>
    public string? Shard { get; set; }
}

/// <summary>The identity an object's AWS calls were made with.</summary>
public sealed record IdentityInUse
{
    /// <summary>metadata.name of the AwsIdentity.</summary>
    public string? Name { get; set; }

    /// <summary>The 12-digit AWS account.</summary>
    public string? AccountId { get; set; }
}

/// <summary>Marks an object type managed by the operator.</summary>
public interface IEksResource : IKubernetesObject<V1ObjectMeta>
{
    /// <summary>Common spec fields.</summary>
    ICommonSpec CommonSpec { get; }

    /// <summary>
    /// Common status fields, null while the object has no status. Reading never creates it: the object may be the
    /// informer's shared copy, which no reader may change.
    /// </summary>
    ResourceStatus? CommonStatus { get; }

    /// <summary>The status, created if absent: for code that writes status, on its own copy of the object.</summary>
    ResourceStatus EnsureStatus();
}

/// <summary>The status of a kind that lives on an EKS cluster (node groups, Fargate profiles, add-ons, ...).</summary>
public interface IClusterChildStatus
{
    /// <summary>The AWS name of the cluster, recorded once known so that deletion finds the resource without the cluster object.</summary>
    string? ClusterName { get; set; }
}

/// <summary>Spec fields every kind shares.</summary>
public interface ICommonSpec
{
    /// <summary>What happens to the AWS resource when the object is deleted.</summary>
    DeletionPolicy? DeletionPolicy { get; }

    /// <summary>Whether the operator may change AWS.</summary>
    ManagementPolicy? ManagementPolicy { get; }

    /// <summary>User AWS tags.</summary>
    IDictionary<string, string>? Tags { get; }
}

internal static class CommonRules
{
    // Tag keys: AWS's limits plus the keys the operator reserves for ownership.
    public const string TagsRule =
        "self.all(k, !k.startsWith('eks.operator.dev/') && k != 'app.kubernetes.io/managed-by' && !k.startsWith('aws:'))";

    public const string TagsMessage =
        "spec.tags: keys starting with 'eks.operator.dev/' or 'aws:', and 'app.kubernetes.io/managed-by', are reserved";

    public const string TagKeysRule = "self.all(k, size(k) >= 1 && size(k) <= 128)";
    public const string TagKeysMessage = "spec.tags: keys must be 1-128 characters";
    public const string TagValuesRule = "self.all(k, size(self[k]) <= 256)";
    public const string TagValuesMessage = "spec.tags: values must be at most 256 characters";

    public const string NamePattern = "^[0-9A-Za-z][A-Za-z0-9\\-_]*$";
    public const string VersionPattern = "^1\\.[0-9]{2}$";
    public const string SubnetIdPattern = "^subnet-[0-9a-f]{8,17}$";
    public const string SecurityGroupIdPattern = "^sg-[0-9a-f]{8,17}$";
    public const string IamRoleArnPattern = "^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$";
}
