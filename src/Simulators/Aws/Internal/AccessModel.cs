namespace EksOperator.Simulators.Aws.Internal;

/// <summary>Where an access policy applies: the whole cluster, or the listed namespaces (names may end in '*').</summary>
internal sealed record AccessScope(string Type, IReadOnlyList<string> Namespaces);

/// <summary>One access policy associated with an access entry; re-associating replaces it (same associatedAt, new scope).</summary>
internal sealed record AssociatedPolicy(string PolicyArn, AccessScope Scope, DateTimeOffset AssociatedAt, DateTimeOffset ModifiedAt);

/// <summary>An IAM principal's access to one cluster's Kubernetes API (EKS access entries).</summary>
internal sealed class AccessEntry
{
    public required string ClusterName { get; init; }
    public required string PrincipalArn { get; init; }
    public required string Arn { get; init; }

    /// <summary>Immutable, and kept as sent: the model has it as a plain string, not an enum.</summary>
    public required string Type { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset ModifiedAt { get; set; }
    public required string Username { get; set; }
    public List<string> KubernetesGroups { get; set; } = [];
    public Dictionary<string, string> Tags { get; init; } = new(StringComparer.Ordinal);

    /// <summary>By policy ARN: one association per (entry, policy).</summary>
    public SortedDictionary<string, AssociatedPolicy> Policies { get; } = new(StringComparer.Ordinal);
}
