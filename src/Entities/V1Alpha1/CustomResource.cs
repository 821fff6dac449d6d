using System.Text.Json.Serialization;
using EksOperator.Entities.Schema;
using k8s;
using k8s.Models;

namespace EksOperator.Entities.V1Alpha1;

/// <summary>
/// The envelope every kind shares: apiVersion, kind, metadata, spec and status, and the common views the loop reads.
/// A kind is a sealed subclass that names its kind and carries its CRD attributes (<c>KubernetesEntity</c>,
/// <see cref="EntityNamesAttribute"/>, printer columns, <see cref="SpecDescriptionAttribute"/>); it declares no
/// properties of its own (CrdGen emits the envelope's, in this order).
/// </summary>
/// <typeparam name="TSpec">The kind's spec.</typeparam>
/// <typeparam name="TStatus">The kind's status; absent until the operator first writes it.</typeparam>
/// <param name="kind">The kind's name, the default of <see cref="Kind"/>.</param>
public abstract class CustomResource<TSpec, TStatus>(string kind) : IEksResource, ISpec<TSpec>, IStatus<TStatus?>
    where TSpec : class, ICommonSpec, new()
    where TStatus : ResourceStatus, new()
{
    /// <summary>APIVersion defines the versioned schema of this representation of an object.</summary>
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = OperatorApi.ApiVersion;

    /// <summary>Kind is a string value representing the REST resource this object represents.</summary>
    [JsonPropertyName("kind")]
    public string Kind { get; set; } = kind;

    /// <summary>Standard object metadata.</summary>
    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    /// <summary>The desired state (the kind's <see cref="SpecDescriptionAttribute"/> says it in the kind's words).</summary>
    [JsonPropertyName("spec")]
    [Required]
    public TSpec Spec { get; set; } = new();

    /// <summary>What the operator observed.</summary>
    [JsonPropertyName("status")]
    public TStatus? Status { get; set; }

    /// <inheritdoc/>
    [JsonIgnore]
    public ICommonSpec CommonSpec => Spec;

    /// <inheritdoc/>
    [JsonIgnore]
    public ResourceStatus? CommonStatus => Status;

    /// <summary>The status, created if absent; only for writers, which work on their own copy.</summary>
    public TStatus EnsureStatus() => Status ??= new TStatus();

    /// <inheritdoc/>
    ResourceStatus IEksResource.EnsureStatus() => EnsureStatus();
}
