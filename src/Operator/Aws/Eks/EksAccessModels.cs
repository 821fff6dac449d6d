using System.Text.Json.Serialization;

namespace EksOperator.Aws.Eks;

/// <summary>The model's AccessEntry.</summary>
public sealed record EksAccessEntry
{
    public string? ClusterName { get; init; }
    public string? PrincipalArn { get; init; }
    public IReadOnlyList<string>? KubernetesGroups { get; init; }
    public string? AccessEntryArn { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
    public DateTimeOffset? ModifiedAt { get; init; }
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
    public string? Username { get; init; }

    /// <summary>A free string in the model (STANDARD, EC2_LINUX, EC2, HYPERPOD_LINUX, ...).</summary>
    public string? Type { get; init; }
}

/// <summary>The model's AccessScope: <c>cluster</c> or <c>namespace</c> (lower case on the wire).</summary>
public sealed record EksAccessScope
{
    public string? Type { get; init; }
    public IReadOnlyList<string>? Namespaces { get; init; }
}

/// <summary>The model's AssociatedAccessPolicy.</summary>
public sealed record EksAssociatedAccessPolicy
{
    public string? PolicyArn { get; init; }
    public EksAccessScope? AccessScope { get; init; }
    public DateTimeOffset? AssociatedAt { get; init; }
    public DateTimeOffset? ModifiedAt { get; init; }
}

public sealed record CreateAccessEntryBody
{
    public string PrincipalArn { get; init; } = "";
    public IReadOnlyList<string>? KubernetesGroups { get; init; }
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
    public string? ClientRequestToken { get; init; }
    public string? Username { get; init; }
    public string? Type { get; init; }
}

public sealed record UpdateAccessEntryBody
{
    /// <summary>The whole list (EKS replaces it); an empty list removes every group.</summary>
    public IReadOnlyList<string>? KubernetesGroups { get; init; }
    public string? ClientRequestToken { get; init; }
    public string? Username { get; init; }
}

internal sealed record AssociateAccessPolicyBody(string PolicyArn, EksAccessScope AccessScope);

internal sealed record AccessEntryEnvelope(EksAccessEntry? AccessEntry);

internal sealed record ListAssociatedAccessPoliciesResponse(
    string? ClusterName,
    string? PrincipalArn,
    IReadOnlyList<EksAssociatedAccessPolicy>? AssociatedAccessPolicies,
    string? NextToken);

internal sealed record AssociateAccessPolicyResponse(string? ClusterName, string? PrincipalArn, EksAssociatedAccessPolicy? AssociatedAccessPolicy);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(EpochSecondsConverter)])]
[JsonSerializable(typeof(CreateAccessEntryBody))]
[JsonSerializable(typeof(UpdateAccessEntryBody))]
[JsonSerializable(typeof(AssociateAccessPolicyBody))]
[JsonSerializable(typeof(AccessEntryEnvelope))]
[JsonSerializable(typeof(ListAssociatedAccessPoliciesResponse))]
[JsonSerializable(typeof(AssociateAccessPolicyResponse))]
[JsonSerializable(typeof(EmptyResponse))]
internal sealed partial class EksAccessJsonContext : JsonSerializerContext;

/// <summary>A response whose body the operator does not read (<c>{}</c>).</summary>
internal sealed record EmptyResponse;
