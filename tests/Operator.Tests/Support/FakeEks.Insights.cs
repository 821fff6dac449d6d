using EksOperator.Aws.Eks;

namespace EksOperator.Operator.Tests.Support;

/// <summary>
/// Upgrade insights of the in-memory EKS at the API level: a test sets them (<see cref="SetInsight"/>) with their
/// last refresh time; StartInsightsRefresh is IN_PROGRESS until <see cref="FinishRefresh"/> stamps them with the clock.
/// </summary>
internal sealed partial class FakeEks : IEksInsightsApi
{
    private readonly Dictionary<string, List<EksInsight>> _insights = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EksInsightsRefresh> _refreshes = new(StringComparer.Ordinal);

    /// <summary>Adds or replaces (by name and minor) an insight of <paramref name="cluster"/>.</summary>
    public void SetInsight(string cluster, EksInsight insight)
    {
        if (!_insights.TryGetValue(cluster, out var list)) _insights[cluster] = list = [];
        list.RemoveAll(i => i.Name == insight.Name && i.KubernetesVersion == insight.KubernetesVersion);
        list.Add(insight with { Id = insight.Id ?? $"{cluster}-{list.Count}-{insight.KubernetesVersion}", Category = insight.Category ?? "UPGRADE_READINESS" });
    }

    public static EksInsight Insight(string minor, string name, string status, string reason, DateTimeOffset refreshed, string? recommendation = null, params EksInsightResource[] resources) => new()
    {
        Name = name,
        KubernetesVersion = minor,
        InsightStatus = new EksInsightStatus(status, reason),
        LastRefreshTime = refreshed,
        Recommendation = recommendation,
        Resources = resources,
    };

    public void FinishRefresh(string cluster)
    {
        var now = time.GetUtcNow();
        _refreshes[cluster] = _refreshes[cluster] with { Status = "COMPLETED", EndedAt = now };
        if (_insights.TryGetValue(cluster, out var list)) _insights[cluster] = [.. list.Select(i => i with { LastRefreshTime = now })];
    }

    public Task<IReadOnlyList<EksInsightSummary>> ListInsightsAsync(string clusterName, string category, IReadOnlyList<string> kubernetesVersions, CancellationToken cancellationToken = default)
    {
        Call("ListInsights", $"{clusterName} {category} {string.Join(",", kubernetesVersions)}");
        Existing(clusterName);
        // A cluster nobody set insights for has EKS's checks passing, refreshed just now (EKS refreshes them daily).
        var insights = _insights.TryGetValue(clusterName, out var set) ? set
            : [.. kubernetesVersions.Select(v => Insight(v, "Cluster health issues", "PASSING", "No cluster health issues detected.", time.GetUtcNow()) with { Id = $"{clusterName}-health-{v}", Category = category })];
        IReadOnlyList<EksInsightSummary> found = [.. insights
            .Where(i => i.Category == category && kubernetesVersions.Contains(i.KubernetesVersion!))
            .Select(i => new EksInsightSummary
            {
                Id = i.Id, Name = i.Name, Category = i.Category, KubernetesVersion = i.KubernetesVersion, LastRefreshTime = i.LastRefreshTime,
                Description = i.Description, InsightStatus = i.InsightStatus,
            })];
        return Task.FromResult(found);
    }

    public Task<EksInsight?> DescribeInsightAsync(string clusterName, string id, CancellationToken cancellationToken = default)
    {
        Call("DescribeInsight", $"{clusterName} {id}");
        return Task.FromResult(_insights.GetValueOrDefault(clusterName, []).FirstOrDefault(i => i.Id == id));
    }

    public Task<EksInsightsRefresh> StartInsightsRefreshAsync(string clusterName, CancellationToken cancellationToken = default)
    {
        Call("StartInsightsRefresh", clusterName);
        Existing(clusterName);
        if (_refreshes.TryGetValue(clusterName, out var running) && running.Status == "IN_PROGRESS") return Task.FromResult(running);
        var refresh = new EksInsightsRefresh("Insights refresh is in progress", "IN_PROGRESS", time.GetUtcNow(), null);
        _refreshes[clusterName] = refresh;
        return Task.FromResult(refresh);
    }

    public Task<EksInsightsRefresh?> DescribeInsightsRefreshAsync(string clusterName, CancellationToken cancellationToken = default)
    {
        Call("DescribeInsightsRefresh", clusterName);
        return Task.FromResult(_refreshes.GetValueOrDefault(clusterName));
    }
}
