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

/// <summary>The model's AddonInfo: one add-on in DescribeAddonVersions.</summary>
public sealed record EksAddonInfo
{
    public string? AddonName { get; init; }
    public string? Type { get; init; }
    public IReadOnlyList<EksAddonVersionInfo>? AddonVersions { get; init; }
}

public sealed record EksAddonVersionInfo
{
    public string? AddonVersion { get; init; }
    public IReadOnlyList<EksAddonCompatibility>? Compatibilities { get; init; }
    public bool? RequiresConfiguration { get; init; }
    public bool? RequiresIamPermissions { get; init; }
}

public sealed record EksAddonCompatibility
{
    public string? ClusterVersion { get; init; }
    public IReadOnlyList<string>? PlatformVersions { get; init; }
    public bool? DefaultVersion { get; init; }
}

/// <summary>DescribeAddonConfiguration: the version's JSON schema (as a string) and the service accounts Pod Identity may serve.</summary>
public sealed record EksAddonConfiguration
{
    public string? AddonName { get; init; }
    public string? AddonVersion { get; init; }
    public string? ConfigurationSchema { get; init; }
    public IReadOnlyList<EksAddonPodIdentityConfiguration>? PodIdentityConfiguration { get; init; }
}

public sealed record EksAddonPodIdentityConfiguration
{
    public string? ServiceAccount { get; init; }
    public IReadOnlyList<string>? RecommendedManagedPolicies { get; init; }
}

/// <summary>A Pod Identity association an add-on asks EKS to create and own.</summary>
public sealed record AddonPodIdentityAssociationBody(string ServiceAccount, string RoleArn);

public sealed record CreateAddonBody
{
    public string AddonName { get; init; } = "";
    public string? AddonVersion { get; init; }
    public string? ServiceAccountRoleArn { get; init; }
    public string? ResolveConflicts { get; init; }
    public string? ClientRequestToken { get; init; }
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
    public string? ConfigurationValues { get; init; }
    public IReadOnlyList<AddonPodIdentityAssociationBody>? PodIdentityAssociations { get; init; }
}

/// <summary>An UpdateAddon: absent members stay as they are; <c>"{}"</c> resets the configuration, <c>[]</c> removes the owned associations.</summary>
public sealed record UpdateAddonBody
{
    public string? AddonVersion { get; init; }
    public string? ServiceAccountRoleArn { get; init; }
    public string? ResolveConflicts { get; init; }
    public string? ClientRequestToken { get; init; }
    public string? ConfigurationValues { get; init; }
    public IReadOnlyList<AddonPodIdentityAssociationBody>? PodIdentityAssociations { get; init; }
}

internal sealed record AddonEnvelope(EksAddon? Addon);

internal sealed record DescribeAddonVersionsResponse(IReadOnlyList<EksAddonInfo>? Addons, string? NextToken);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(EpochSecondsConverter)])]
[JsonSerializable(typeof(AddonEnvelope))]
[JsonSerializable(typeof(CreateAddonBody))]
[JsonSerializable(typeof(UpdateAddonBody))]
[JsonSerializable(typeof(UpdateEnvelope))]
[JsonSerializable(typeof(DescribeAddonVersionsResponse))]
[JsonSerializable(typeof(EksAddonConfiguration))]
internal sealed partial class EksAddonJsonContext : JsonSerializerContext;
