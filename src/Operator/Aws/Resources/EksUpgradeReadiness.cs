using EksOperator.Aws.Eks;

namespace EksOperator.Aws.Resources;

/// <summary>
/// One upgrade insight that is not PASSING, in the operator's terms: what EKS found, what it recommends, and the
/// resources it names (API paths still in use with their replacements, add-ons with the versions that fit, ARNs).
/// </summary>
public sealed record UpgradeFinding(string Name, string Status, string Reason, string? Recommendation, IReadOnlyList<string> Resources)
{
    /// <summary>EKS's name of the insight that checks installed add-ons against the next minor.</summary>
    public const string AddonCompatibility = "EKS add-on version compatibility";

    public bool Blocks => Status == InsightStatuses.Error;

    /// <summary>The add-ons the insight names (its compatibility details, or the add-on ARNs among its resources).</summary>
    public IReadOnlyList<string> Addons { get; init; } = [];
}

/// <summary>EKS's insight statuses.</summary>
public static class InsightStatuses
{
    public const string Passing = "PASSING";
    public const string Warning = "WARNING";
    public const string Error = "ERROR";
    public const string Unknown = "UNKNOWN";
}

/// <summary>The upgrade-readiness insights for one target minor: when EKS last refreshed them, and what is not PASSING.</summary>
public sealed record UpgradeInsights(DateTimeOffset? LastRefresh, IReadOnlyList<UpgradeFinding> Findings);

/// <summary>An insights refresh: IN_PROGRESS, FAILED or COMPLETED.</summary>
public sealed record InsightsRefreshState(string Status, DateTimeOffset? StartedAt, DateTimeOffset? EndedAt)
{
    public bool InProgress => Status == "IN_PROGRESS";
}

/// <summary>EKS's upgrade insights, read as a preflight before a control-plane step.</summary>
public interface IEksUpgradeReadiness
{
    /// <summary>ListInsights (UPGRADE_READINESS, <paramref name="minor"/>), and DescribeInsight for each one not PASSING.</summary>
    Task<UpgradeInsights> InsightsAsync(string clusterName, string minor, CancellationToken cancellationToken);

    /// <summary>The last refresh asked for, or null if none was.</summary>
    Task<InsightsRefreshState?> RefreshAsync(string clusterName, CancellationToken cancellationToken);

    Task StartRefreshAsync(string clusterName, CancellationToken cancellationToken);
}

internal sealed class EksUpgradeReadiness(IEksInsightsApi eks) : IEksUpgradeReadiness
{
    private const string UpgradeReadiness = "UPGRADE_READINESS";

    public async Task<UpgradeInsights> InsightsAsync(string clusterName, string minor, CancellationToken cancellationToken)
    {
        var summaries = await eks.ListInsightsAsync(clusterName, UpgradeReadiness, [minor], cancellationToken);
        // EKS filters by version, but an insight for another minor must never block this step.
        var forStep = summaries.Where(s => s.KubernetesVersion is null || s.KubernetesVersion == minor).ToList();
        var findings = new List<UpgradeFinding>();
        foreach (var summary in forStep.Where(s => s.InsightStatus?.Status is { } st && st != InsightStatuses.Passing).OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            var insight = summary.Id is null ? null : await eks.DescribeInsightAsync(clusterName, summary.Id, cancellationToken);
            findings.Add(Finding(summary, insight));
        }

        var refreshed = forStep.Select(s => s.LastRefreshTime).Where(t => t is not null).DefaultIfEmpty(null).Max();
        return new UpgradeInsights(refreshed, findings);
    }

    public async Task<InsightsRefreshState?> RefreshAsync(string clusterName, CancellationToken cancellationToken) =>
        await eks.DescribeInsightsRefreshAsync(clusterName, cancellationToken) is { Status: { } status } r ? new InsightsRefreshState(status, r.StartedAt, r.EndedAt) : null;

    public async Task StartRefreshAsync(string clusterName, CancellationToken cancellationToken) => await eks.StartInsightsRefreshAsync(clusterName, cancellationToken);

    internal static UpgradeFinding Finding(EksInsightSummary summary, EksInsight? insight)
    {
        var status = insight?.InsightStatus ?? summary.InsightStatus;
        var resources = new List<string>();
        foreach (var d in insight?.CategorySpecificSummary?.DeprecationDetails ?? [])
        {
            var replaced = d.ReplacedWith is { Length: > 0 } r ? $" (use {r})" : "";
            var removed = d.StopServingVersion is { Length: > 0 } v ? $", removed in {v}" : "";
            resources.Add($"{d.Usage}{replaced}{removed}");
        }

        foreach (var a in insight?.CategorySpecificSummary?.AddonCompatibilityDetails ?? [])
        {
            var versions = a.CompatibleVersions is { Count: > 0 } c ? string.Join(", ", c.Take(3)) : "none";
            resources.Add($"add-on {a.Name} (compatible: {versions})");
        }

        foreach (var r in insight?.Resources ?? [])
        {
            if ((r.KubernetesResourceUri ?? r.Arn) is { Length: > 0 } named && !resources.Any(x => x.StartsWith(named, StringComparison.Ordinal))) resources.Add(named);
        }

        var addons = (insight?.CategorySpecificSummary?.AddonCompatibilityDetails ?? []).Select(a => a.Name).OfType<string>()
            .Concat((insight?.Resources ?? []).Select(r => AddonNameOf(r.Arn)).OfType<string>())
            .Distinct(StringComparer.Ordinal).ToList();
        return new UpgradeFinding(summary.Name ?? insight?.Name ?? summary.Id ?? "insight", status?.Status ?? InsightStatuses.Unknown, status?.Reason ?? "", insight?.Recommendation, resources)
        {
            Addons = addons,
        };
    }

    /// <summary>"arn:aws:eks:region:account:addon/cluster/name/uuid" → name.</summary>
    private static string? AddonNameOf(string? arn)
    {
        if (arn is null) return null;
        var resource = arn.Split(':', 6) is { Length: 6 } parts ? parts[5] : "";
        return resource.Split('/') is ["addon", _, var name, ..] ? name : null;
    }
}
