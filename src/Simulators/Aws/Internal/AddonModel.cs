namespace EksOperator.Simulators.Aws.Internal;

/// <summary>An EKS add-on installed on a cluster (CreateAddon); its lifecycle is driven by <see cref="World.Tick"/>.</summary>
internal sealed class Addon
{
    public required string Name { get; init; }
    public required string ClusterName { get; init; }
    public required string Arn { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset ModifiedAt { get; set; }
    public required string Version { get; set; }

    /// <summary>CREATING, ACTIVE, DEGRADED, UPDATING, DELETING (the *_FAILED states are never entered on their own).</summary>
    public string Status { get; set; } = "CREATING";

    /// <summary>When CREATING turns ACTIVE, or DELETING turns into 404.</summary>
    public DateTimeOffset TransitionAt { get; set; }

    public string? ServiceAccountRoleArn { get; set; }

    /// <summary>Exactly the string the caller sent (JSON or YAML), never re-serialized.</summary>
    public string? ConfigurationValues { get; set; }

    public string? Namespace { get; init; }

    /// <summary>Set by DeleteAddon: keep the software and the owned Pod Identity associations.</summary>
    public bool Preserve { get; set; }

    public Dictionary<string, string> Tags { get; init; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Run by <see cref="World.Tick"/> when DELETING ends and the add-on goes (set by DeleteAddon: drops the owned
    /// Pod Identity associations unless <see cref="Preserve"/>). A closure, like <see cref="EksUpdate.Apply"/>, so that the
    /// world's lifecycle code does not need the EKS service.
    /// </summary>
    public Action? Removed { get; set; }

    /// <summary>Set through the control API; a settled add-on with issues is DEGRADED.</summary>
    public List<AddonHealthIssue> HealthIssues { get; set; } = [];
}

/// <summary>One entry of an add-on's health.issues.</summary>
internal sealed record AddonHealthIssue(string Code, string Message, IReadOnlyList<string> ResourceIds);

/// <summary>A requested podIdentityAssociations entry: the add-on's service account and the role its pods get.</summary>
internal sealed record AddonPodIdentityRequest(string ServiceAccount, string RoleArn);

