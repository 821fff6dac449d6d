using System.Net;
using System.Text.Json.Nodes;
using EksOperator.Aws.Eks;
using EksOperator.Aws.Resources;
using EksOperator.Aws.Tests.Support;

namespace EksOperator.Aws.Tests.Wire;

/// <summary>The insights operations as the 2017-11-01 model shapes them, read back from the user guide's example.</summary>
public sealed class EksInsightsWireTests
{
    // The user guide's DescribeInsight example (aws-api-additions.md §4.1), with the status made ERROR.
    private const string DescribeInsightResponse = """
        {"insight":{"id":"f6a11fe4-77f7-48c6-8326-9a13f022ecb3","name":"Deprecated APIs removed in Kubernetes v1.29",
         "category":"UPGRADE_READINESS","kubernetesVersion":"1.29","lastRefreshTime":1700157422.0,"lastTransitionTime":1698774710.0,
         "description":"Checks for usage of deprecated APIs that are scheduled for removal in Kubernetes v1.29.",
         "insightStatus":{"status":"ERROR","reason":"Deprecated API usage detected within last 30 days and your cluster is on Kubernetes v1.28."},
         "recommendation":"Update manifests and API clients to use newer Kubernetes APIs if applicable before upgrading to Kubernetes v1.29.",
         "additionalInfo":{"EKS update cluster documentation":"https://docs.aws.amazon.com/eks/latest/userguide/update-cluster.html"},
         "resources":[{"insightStatus":{"status":"ERROR","reason":"in use"},"kubernetesResourceUri":"/apis/flowcontrol.apiserver.k8s.io/v1beta2/flowschemas"}],
         "categorySpecificSummary":{"deprecationDetails":[
           {"usage":"/apis/flowcontrol.apiserver.k8s.io/v1beta2/flowschemas","replacedWith":"/apis/flowcontrol.apiserver.k8s.io/v1beta3/flowschemas",
            "stopServingVersion":"1.29","startServingReplacementVersion":"1.26","clientStats":[]}],"addonCompatibilityDetails":[]}}}
        """;

    [Fact]
    public async Task ListInsights_posts_its_filter_in_the_body_and_reads_every_page()
    {
        var handler = new StubHandler()
            .Respond(HttpStatusCode.OK, """{"insights":[{"id":"a","name":"Kubelet version skew","kubernetesVersion":"1.29","lastRefreshTime":1700157422.5,"insightStatus":{"status":"PASSING","reason":"ok"}}],"nextToken":"t1"}""")
            .Respond(HttpStatusCode.OK, """{"insights":[{"id":"b","name":"Cluster health issues","kubernetesVersion":"1.29","insightStatus":{"status":"WARNING","reason":"r"}}]}""");

        var insights = await TestClients.Insights(handler).ListInsightsAsync("devel", "UPGRADE_READINESS", ["1.29"]);

        Assert.Equal(["a", "b"], insights.Select(i => i.Id));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1700157422500), insights[0].LastRefreshTime);
        Assert.Equal("WARNING", insights[1].InsightStatus!.Status);
        Assert.All(handler.Requests, r => Assert.Equal((HttpMethod.Post, "/clusters/devel/insights"), (r.Method, r.Uri.AbsolutePath)));
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"filter":{"categories":["UPGRADE_READINESS"],"kubernetesVersions":["1.29"]},"maxResults":100}"""),
            JsonNode.Parse(handler.Requests[0].BodyText)), handler.Requests[0].BodyText);
        Assert.Equal("t1", (string?)JsonNode.Parse(handler.Requests[1].BodyText)!["nextToken"]);
    }

    [Fact]
    public async Task DescribeInsight_reads_the_user_guide_example_into_a_finding_with_its_resources()
    {
        var handler = new StubHandler().Respond(HttpStatusCode.OK, DescribeInsightResponse);

        var insight = await TestClients.Insights(handler).DescribeInsightAsync("devel", "f6a11fe4-77f7-48c6-8326-9a13f022ecb3");

        Assert.Equal("/clusters/devel/insights/f6a11fe4-77f7-48c6-8326-9a13f022ecb3", handler.Single.Uri.AbsolutePath);
        var finding = EksUpgradeReadiness.Finding(new EksInsightSummary { Name = insight!.Name, InsightStatus = insight.InsightStatus }, insight);
        Assert.True(finding.Blocks);
        Assert.Equal("Update manifests and API clients to use newer Kubernetes APIs if applicable before upgrading to Kubernetes v1.29.", finding.Recommendation);
        Assert.Equal(
            ["/apis/flowcontrol.apiserver.k8s.io/v1beta2/flowschemas (use /apis/flowcontrol.apiserver.k8s.io/v1beta3/flowschemas), removed in 1.29"],
            finding.Resources);
    }

    [Fact]
    public async Task The_refresh_is_started_with_a_post_and_read_with_a_get()
    {
        var handler = new StubHandler()
            .Respond(HttpStatusCode.OK, """{"message":"Insights refresh is in progress","status":"IN_PROGRESS"}""")
            .Respond(HttpStatusCode.OK, """{"message":"done","status":"COMPLETED","startedAt":1700157422,"endedAt":1700157482}""");
        var insights = TestClients.Insights(handler);

        var started = await insights.StartInsightsRefreshAsync("devel");
        var read = await insights.DescribeInsightsRefreshAsync("devel");

        Assert.Equal("IN_PROGRESS", started.Status);
        Assert.Equal(("COMPLETED", DateTimeOffset.FromUnixTimeSeconds(1700157482)), (read!.Status, read.EndedAt!.Value));
        Assert.Equal([(HttpMethod.Post, "/clusters/devel/insights-refresh"), (HttpMethod.Get, "/clusters/devel/insights-refresh")],
            handler.Requests.Select(r => (r.Method, r.Uri.AbsolutePath)));
    }
}
