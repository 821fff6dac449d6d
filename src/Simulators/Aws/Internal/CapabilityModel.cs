using System.Text.Json.Nodes;

namespace EksOperator.Simulators.Aws.Internal;

/// <summary>An EKS capability (CreateCapability): managed Argo CD, ACK or kro; its lifecycle is driven by <see cref="World.Tick"/>.</summary>
internal sealed class Capability
{
    public required string Name { get; init; }
    public required string ClusterName { get; init; }
    public required string Arn { get; init; }

    /// <summary>ARGOCD, ACK or KRO.</summary>
    public required string Type { get; init; }
    public required string RoleArn { get; set; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset ModifiedAt { get; set; }

    /// <summary>CREATING, ACTIVE, UPDATING, DELETING, CREATE_FAILED.</summary>
    public string Status { get; set; } = "CREATING";

    /// <summary>When CREATING settles, or DELETING turns into 404.</summary>
    public DateTimeOffset TransitionAt { get; set; }

    /// <summary>The software's version EKS runs (EKS patches it itself; UpdateCapability never changes it).</summary>
    public string? Version { get; init; }

    /// <summary>The Argo CD configuration as EKS reports it (defaults and EKS's own members filled in); null for ACK and KRO.</summary>
    public JsonObject? ArgoCd { get; set; }

    public string DeletePropagationPolicy { get; set; } = "RETAIN";

    public Dictionary<string, string> Tags { get; init; } = new(StringComparer.Ordinal);

    /// <summary>health.issues (AccessDenied when EKS cannot assume the role at the end of CREATING).</summary>
    public List<CapabilityIssue> Issues { get; } = [];
}

/// <summary>One entry of a capability's health.issues.</summary>
internal sealed record CapabilityIssue(string Code, string Message);
