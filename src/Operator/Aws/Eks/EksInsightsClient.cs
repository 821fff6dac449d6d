using EksOperator.Aws.Transport;
using static EksOperator.Aws.Eks.EksRest;

namespace EksOperator.Aws.Eks;

/// <summary>restJson1 mapping of <see cref="IEksInsightsApi"/>.</summary>
internal sealed class EksInsightsClient(AwsTransport transport) : IEksInsightsApi
{
    private const string Collection = "/clusters/{name}/insights";
    private const string Refresh = "/clusters/{name}/insights-refresh";
    private readonly EksRest _rest = new(transport);
    private static EksInsightsJsonContext Json => EksInsightsJsonContext.Default;

    public async Task<IReadOnlyList<EksInsightSummary>> ListInsightsAsync(string clusterName, string category, IReadOnlyList<string> kubernetesVersions, CancellationToken cancellationToken = default)
    {
        var all = new List<EksInsightSummary>();
        string? next = null;
        do
        {
            var body = new ListInsightsBody(new InsightsFilter([category], kubernetesVersions, null), 100, next);
            var page = await _rest.PostAsync("ListInsights", Collection, [Label("name", clusterName)], body, Json.ListInsightsBody, Json.ListInsightsResponse, cancellationToken);
            all.AddRange(page.Insights ?? []);
            next = NextPage(page.NextToken, next, "ListInsights");
        }
        while (next is not null);

        return all;
    }

    public async Task<EksInsight?> DescribeInsightAsync(string clusterName, string id, CancellationToken cancellationToken = default) =>
        (await _rest.GetOrNullAsync("DescribeInsight", Collection + "/{id}", [Label("name", clusterName), Label("id", id)], [], Json.InsightEnvelope, cancellationToken))?.Insight;

    public Task<EksInsightsRefresh> StartInsightsRefreshAsync(string clusterName, CancellationToken cancellationToken = default) =>
        _rest.PostAsync("StartInsightsRefresh", Refresh, [Label("name", clusterName)], new EmptyBody(), Json.EmptyBody, Json.EksInsightsRefresh, cancellationToken);

    public async Task<EksInsightsRefresh?> DescribeInsightsRefreshAsync(string clusterName, CancellationToken cancellationToken = default)
    {
        var refresh = await _rest.GetOrNullAsync("DescribeInsightsRefresh", Refresh, [Label("name", clusterName)], [], Json.EksInsightsRefresh, cancellationToken);
        return refresh?.Status is null ? null : refresh;
    }
}
