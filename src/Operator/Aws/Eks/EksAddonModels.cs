using System.Text.Json.Serialization;

namespace EksOperator.Aws.Eks;

/// <summary>The model's Addon.</summary>
public sealed record EksAddon
{
    public string? AddonName { get; init; }
    public string? ClusterName { get; init; }

    /// <summary>CREATING, ACTIVE, CREATE_FAILED, UPDATING, DELETING, DELETE_FAILED, DEGRADED, UPDATE_FAILED (kept as a string: parsed leniently).</summary>
    public string? Status { get; init; }
    public string? AddonVersion { get; init; }
    public Health? Health { get; init; }
    public string? AddonArn { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
    public DateTimeOffset? ModifiedAt { get; init; }
    public string? ServiceAccountRoleArn { get; init; }
    public IReadOnlyDictionary<string, string>? Tags { get; init; }

    /// <summary>The configuration exactly as it was sent (a JSON or YAML string).</summary>
    public string? ConfigurationValues { get; init; }

    /// <summary>The ARNs of the Pod Identity associations the add-on owns.</summary>
    public IReadOnlyList<string>? PodIdentityAssociations { get; init; }
}

internal sealed record AddonEnvelope(EksAddon? Addon);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(EpochSecondsConverter)])]
[JsonSerializable(typeof(AddonEnvelope))]
internal sealed partial class EksAddonJsonContext : JsonSerializerContext;
