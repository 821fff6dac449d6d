namespace EksOperator.Simulators.Aws.Internal;

/// <summary>An EKS Pod Identity association: the IAM role pods of one (namespace, service account) get credentials for.</summary>
internal sealed class PodIdentityAssociation
{
    public required string ClusterName { get; init; }
    public required string Id { get; init; }
    public required string Arn { get; init; }

    // Immutable: moving an association to another service account means deleting and re-creating it.
    public required string Namespace { get; init; }
    public required string ServiceAccount { get; init; }

    public required string RoleArn { get; set; }
    public string? TargetRoleArn { get; set; }
    public bool DisableSessionTags { get; set; }

    /// <summary>Session policy JSON, kept as sent.</summary>
    public string? Policy { get; set; }

    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset ModifiedAt { get; set; }

    /// <summary>The add-on ARN when an add-on created the association (and deletes it with itself); null otherwise.</summary>
    public string? OwnerArn { get; init; }

    public Dictionary<string, string> Tags { get; init; } = new(StringComparer.Ordinal);
}
