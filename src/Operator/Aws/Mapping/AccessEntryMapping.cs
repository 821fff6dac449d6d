using EksOperator.Aws.Eks;
using EksOperator.Entities.V1Alpha1;

namespace EksOperator.Aws.Mapping;

/// <summary>AccessEntry spec ⇄ the EKS API: policy names, scopes, and what differs.</summary>
public static class AccessEntryMapping
{
    private const string PolicyArnPrefix = "arn:aws:eks::aws:cluster-access-policy/";

    /// <summary>A policy's ARN: a short name (AmazonEKSViewPolicy) is completed; an ARN is kept as written.</summary>
    public static string PolicyArn(string policy) => policy.StartsWith("arn:", StringComparison.Ordinal) ? policy : PolicyArnPrefix + policy;

    public static string TypeName(AccessEntryType? type) => ClusterMapping.EnumName(type ?? AccessEntryType.Standard);

    public static CreateAccessEntryBody ToCreateBody(AccessEntrySpec spec, Owner owner) => new()
    {
        PrincipalArn = spec.PrincipalArn,
        Type = TypeName(spec.Type),
        KubernetesGroups = spec.KubernetesGroups is { Count: > 0 } groups ? [.. groups] : null,
        Username = spec.Username,
        Tags = owner.TagsWith(spec.Tags),
        ClientRequestToken = owner.CreateToken("access-entry"),
    };

    /// <summary>The scope EKS is asked for: namespaces sorted, so that a reordered list is not a change.</summary>
    public static EksAccessScope ScopeOf(AccessScope scope) => new()
    {
        Type = ClusterMapping.EnumName(scope.Type),
        Namespaces = scope.Type == AccessScopeType.Namespace ? [.. (scope.Namespaces ?? []).Order(StringComparer.Ordinal)] : null,
    };

    /// <summary>A scope as drift shows it: "cluster" or "namespace[a,b]".</summary>
    public static string Describe(EksAccessScope? scope) => scope?.Type switch
    {
        null => "(none)",
        "namespace" => $"namespace[{string.Join(",", (scope.Namespaces ?? []).Order(StringComparer.Ordinal))}]",
        var type => type,
    };

    /// <summary>
    /// Whether the groups differ, as sets; EKS does not keep an order. Node and Fargate types get theirs from EKS, so
    /// for them nothing is compared.
    /// </summary>
    public static bool GroupsDiffer(AccessEntrySpec spec, EksAccessEntry observed) =>
        IsStandard(spec) && !new HashSet<string>(spec.KubernetesGroups ?? [], StringComparer.Ordinal).SetEquals(observed.KubernetesGroups ?? []);

    /// <summary>Whether the username differs; an unset username is EKS's to choose, never drift.</summary>
    public static bool UsernameDiffers(AccessEntrySpec spec, EksAccessEntry observed) =>
        IsStandard(spec) && spec.Username is { } wanted && wanted != observed.Username;

    private static bool IsStandard(AccessEntrySpec spec) => spec.Type is null or AccessEntryType.Standard;

    public static string Groups(IEnumerable<string>? groups) => "[" + string.Join(",", (groups ?? []).Order(StringComparer.Ordinal)) + "]";
}
