using System.Text.Json.Serialization;

namespace EksOperator.Aws.Eks;

/// <summary>The model's PodIdentityAssociation.</summary>
public sealed record EksPodIdentityAssociation
{
    public string? ClusterName { get; init; }
    public string? Namespace { get; init; }
    public string? ServiceAccount { get; init; }
    public string? RoleArn { get; init; }
    public string? AssociationArn { get; init; }
    public string? AssociationId { get; init; }
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
    public DateTimeOffset? ModifiedAt { get; init; }

    /// <summary>Set when an add-on owns the association.</summary>
    public string? OwnerArn { get; init; }
    public bool? DisableSessionTags { get; init; }
    public string? TargetRoleArn { get; init; }
    public string? ExternalId { get; init; }
}

/// <summary>The model's PodIdentityAssociationSummary (what ListPodIdentityAssociations returns).</summary>
public sealed record EksPodIdentityAssociationSummary
{
    public string? ClusterName { get; init; }
    public string? Namespace { get; init; }
    public string? ServiceAccount { get; init; }
    public string? AssociationArn { get; init; }
    public string? AssociationId { get; init; }
    public string? OwnerArn { get; init; }
}

public sealed record CreatePodIdentityAssociationBody
{
    public string Namespace { get; init; } = "";
    public string ServiceAccount { get; init; } = "";
    public string RoleArn { get; init; } = "";
    public string? ClientRequestToken { get; init; }
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
    public bool? DisableSessionTags { get; init; }
    public string? TargetRoleArn { get; init; }
}

/// <summary>What UpdatePodIdentityAssociation changes; an absent member stays as it is.</summary>
public sealed record UpdatePodIdentityAssociationBody
{
    public string? RoleArn { get; init; }
    public string? ClientRequestToken { get; init; }
    public bool? DisableSessionTags { get; init; }

    /// <summary>An empty string removes the target role.</summary>
    public string? TargetRoleArn { get; init; }
}

internal sealed record PodIdentityAssociationEnvelope(EksPodIdentityAssociation? Association);

internal sealed record ListPodIdentityAssociationsResponse(IReadOnlyList<EksPodIdentityAssociationSummary>? Associations, string? NextToken);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(EpochSecondsConverter)])]
[JsonSerializable(typeof(CreatePodIdentityAssociationBody))]
[JsonSerializable(typeof(UpdatePodIdentityAssociationBody))]
[JsonSerializable(typeof(PodIdentityAssociationEnvelope))]
[JsonSerializable(typeof(ListPodIdentityAssociationsResponse))]
internal sealed partial class EksPodIdentityJsonContext : JsonSerializerContext;
