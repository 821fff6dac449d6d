namespace EksOperator.Aws.Eks;

/// <summary>EKS cluster insights, shaped as the 2017-11-01 model (ListInsights takes its filter in a JSON body).</summary>
public interface IEksInsightsApi
{
    /// <summary>Every page of the insights of one category for the given Kubernetes minors.</summary>
    Task<IReadOnlyList<EksInsightSummary>> ListInsightsAsync(string clusterName, string category, IReadOnlyList<string> kubernetesVersions, CancellationToken cancellationToken = default);

    /// <summary>Null when the insight does not exist (any more).</summary>
    Task<EksInsight?> DescribeInsightAsync(string clusterName, string id, CancellationToken cancellationToken = default);

    Task<EksInsightsRefresh> StartInsightsRefreshAsync(string clusterName, CancellationToken cancellationToken = default);

    /// <summary>Null when no refresh was ever asked for.</summary>
    Task<EksInsightsRefresh?> DescribeInsightsRefreshAsync(string clusterName, CancellationToken cancellationToken = default);
}
