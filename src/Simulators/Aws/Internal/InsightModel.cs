namespace EksOperator.Simulators.Aws.Internal;

/// <summary>The enum values EKS's model gives insights (Category, InsightStatusValue).</summary>
internal static class InsightValues
{
    public const string UpgradeReadiness = "UPGRADE_READINESS";
    public const string Passing = "PASSING";
    public const string Warning = "WARNING";
    public const string Error = "ERROR";

    public static readonly string[] Categories = [UpgradeReadiness, "MISCONFIGURATION", "ROLLBACK_READINESS"];
    public static readonly string[] Statuses = [Passing, Warning, Error, "UNKNOWN"];
}

/// <summary>One entry of Insight.resources: a Kubernetes resource or an AWS one, with its own status.</summary>
internal sealed record InsightResource(string Status, string Reason, string? KubernetesResourceUri, string? Arn);

/// <summary>One clientStats entry of a deprecation: who still called the deprecated API.</summary>
internal sealed record InsightClientStat(string UserAgent, int NumberOfRequestsLast30Days, DateTimeOffset? LastRequestTime);

/// <summary>One deprecationDetails entry; usage and replacedWith are API paths, as EKS writes them.</summary>
internal sealed record InsightDeprecation(
    string Usage, string? ReplacedWith, string? StopServingVersion, string? StartServingReplacementVersion, IReadOnlyList<InsightClientStat> ClientStats);

/// <summary>One addonCompatibilityDetails entry: an add-on and its versions that fit the next Kubernetes version.</summary>
internal sealed record InsightAddonCompatibility(string Name, IReadOnlyList<string> CompatibleVersions);

/// <summary>What an insight says, before the id and the times are attached.</summary>
internal sealed record InsightFinding
{
    public required string Name { get; init; }
    public string Category { get; init; } = InsightValues.UpgradeReadiness;
    public required string KubernetesVersion { get; init; }
    public required string Description { get; init; }
    public required string Status { get; init; }
    public required string Reason { get; init; }
    public required string Recommendation { get; init; }
    public IReadOnlyDictionary<string, string> AdditionalInfo { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);
    public IReadOnlyList<InsightResource> Resources { get; init; } = [];
    public IReadOnlyList<InsightDeprecation> Deprecations { get; init; } = [];
    public IReadOnlyList<InsightAddonCompatibility> AddonCompatibility { get; init; } = [];
}

/// <summary>
/// An insight set through the control API. Description, recommendation and additional info may be left out: they are
/// then taken from the computed insight it replaces (or the deprecated-API template), so it reads like EKS's own.
/// </summary>
internal sealed record InjectedInsight(
    string Name,
    string Category,
    string KubernetesVersion,
    string Status,
    string Reason,
    string? Description,
    string? Recommendation,
    IReadOnlyList<InsightResource> Resources,
    IReadOnlyList<InsightDeprecation> Deprecations,
    DateTimeOffset InjectedAt);

/// <summary>An insight as ListInsights and DescribeInsight show it.</summary>
internal sealed record InsightView(string Id, InsightFinding Finding, DateTimeOffset LastRefreshTime, DateTimeOffset LastTransitionTime);

/// <summary>A status an insight was last seen in, and since when (its lastTransitionTime).</summary>
internal sealed record InsightTransition(string Status, DateTimeOffset Since);

/// <summary>A cluster's insight state: when they were last refreshed, a refresh under way, injected insights, and status history.</summary>
internal sealed class ClusterInsights
{
    /// <summary>When the last refresh ended; null until the cluster turns ACTIVE (then the creation's end, or creation for a seeded cluster).</summary>
    public DateTimeOffset? RefreshedAt { get; set; }

    /// <summary>When the last (or current) StartInsightsRefresh began; null if none was ever started.</summary>
    public DateTimeOffset? RefreshStartedAt { get; set; }

    /// <summary>When the refresh under way completes; null when none is.</summary>
    public DateTimeOffset? RefreshEndsAt { get; set; }

    public List<InjectedInsight> Injected { get; } = [];

    /// <summary>Insight ids by name and version, so that they are hashed once.</summary>
    public Dictionary<(string Name, string Version), string> Ids { get; } = [];

    /// <summary>By insight id.</summary>
    public Dictionary<string, InsightTransition> Transitions { get; } = new(StringComparer.Ordinal);
}
