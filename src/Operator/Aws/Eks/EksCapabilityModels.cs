using System.Text.Json.Serialization;

namespace EksOperator.Aws.Eks;

/// <summary>The model's Capability. Enums are kept as strings: the docs name statuses the model's enum lacks (UPDATE_FAILED).</summary>
public sealed record EksCapability
{
    public string? CapabilityName { get; init; }
    public string? Arn { get; init; }
    public string? ClusterName { get; init; }

    /// <summary>ARGOCD, ACK or KRO.</summary>
    public string? Type { get; init; }
    public string? RoleArn { get; init; }

    /// <summary>CREATING, CREATE_FAILED, UPDATING, DELETING, DELETE_FAILED, ACTIVE, DEGRADED (and UPDATE_FAILED, documented only).</summary>
    public string? Status { get; init; }
    public string? Version { get; init; }
    public EksCapabilityConfiguration? Configuration { get; init; }
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
    public Health? Health { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
    public DateTimeOffset? ModifiedAt { get; init; }
    public string? DeletePropagationPolicy { get; init; }
}

/// <summary>CapabilityConfigurationRequest and CapabilityConfigurationResponse: one shape, EKS's own members null in requests.</summary>
public sealed record EksCapabilityConfiguration
{
    public EksArgoCdConfiguration? ArgoCd { get; init; }
}

public sealed record EksArgoCdConfiguration
{
    public string? Namespace { get; init; }
    public EksArgoCdAwsIdc? AwsIdc { get; init; }
    public IReadOnlyList<EksArgoCdRoleMapping>? RbacRoleMappings { get; init; }
    public EksArgoCdNetworkAccess? NetworkAccess { get; init; }

    /// <summary>Response only.</summary>
    public string? ServerUrl { get; init; }
}

public sealed record EksArgoCdAwsIdc
{
    public string? IdcInstanceArn { get; init; }
    public string? IdcRegion { get; init; }

    /// <summary>Response only.</summary>
    public string? IdcManagedApplicationArn { get; init; }
}

/// <summary>ArgoCdRoleMapping: role ADMIN, EDITOR or VIEWER; identities of type SSO_USER or SSO_GROUP.</summary>
public sealed record EksArgoCdRoleMapping(string Role, IReadOnlyList<EksSsoIdentity> Identities);

public sealed record EksSsoIdentity(string Id, string Type);

public sealed record EksArgoCdNetworkAccess(IReadOnlyList<string>? VpceIds);

public sealed record CreateCapabilityBody
{
    public string CapabilityName { get; init; } = "";
    public string Type { get; init; } = "";
    public string RoleArn { get; init; } = "";

    /// <summary>Required by the model; RETAIN is its only value.</summary>
    public string DeletePropagationPolicy { get; init; } = "RETAIN";
    public string? ClientRequestToken { get; init; }
    public EksCapabilityConfiguration? Configuration { get; init; }
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
}

/// <summary>UpdateCapability: absent members stay as they are.</summary>
public sealed record UpdateCapabilityBody
{
    public string? RoleArn { get; init; }
    public UpdateCapabilityConfiguration? Configuration { get; init; }
    public string? ClientRequestToken { get; init; }
    public string? DeletePropagationPolicy { get; init; }
}

public sealed record UpdateCapabilityConfiguration(UpdateArgoCdConfiguration? ArgoCd);

/// <summary>Role mappings change by difference (add or update, remove); network access is replaced (<c>[]</c> clears it).</summary>
public sealed record UpdateArgoCdConfiguration(UpdateRoleMappings? RbacRoleMappings, EksArgoCdNetworkAccess? NetworkAccess);

public sealed record UpdateRoleMappings(IReadOnlyList<EksArgoCdRoleMapping>? AddOrUpdateRoleMappings, IReadOnlyList<EksArgoCdRoleMapping>? RemoveRoleMappings);

internal sealed record CapabilityEnvelope(EksCapability? Capability);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(EpochSecondsConverter)])]
[JsonSerializable(typeof(CreateCapabilityBody))]
[JsonSerializable(typeof(UpdateCapabilityBody))]
[JsonSerializable(typeof(CapabilityEnvelope))]
[JsonSerializable(typeof(UpdateEnvelope))]
internal sealed partial class EksCapabilityJsonContext : JsonSerializerContext;
