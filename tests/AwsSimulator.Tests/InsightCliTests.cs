using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace EksOperator.Simulators.Aws.Tests;

// Cluster insights and UpdateClusterVersion's force flag through the real AWS CLI (signatures verified). moto 5 has no
// insights routes (its EKS URL table stops at clusters, node groups, Fargate profiles and tags), so there is no moto twin.

public sealed class InsightCliTests
{
    private const string Deprecated133 = "Deprecated APIs removed in Kubernetes v1.33";

    [ToolFact("aws")]
    public async Task Computed_addon_compatibility_error_and_node_group_skew_warning_through_the_cli()
    {
        await using var sim = await CliScenario.StartAsync();
        var roles = sim.Seed(CliScenario.Roles);
        sim.Seed(new AwsSeed { Clusters = [new AwsSeedCluster { Name = "apps", RoleArn = roles.RoleArns[0], Version = "1.32" }] });
        var cli = new AwsCli(sim);
        string[] list = ["eks", "list-insights", "--cluster-name", "apps", "--filter", "categories=UPGRADE_READINESS"];

        var passing = (await cli.OkAsync(list)).Json["insights"]!.AsArray();
        Assert.Equal(5, passing.Count);
        Assert.All(passing, i => Assert.Equal(("1.33", "PASSING"), ((string?)i!["kubernetesVersion"], (string?)i["insightStatus"]!["status"])));

        // coredns v1.11 serves 1.29–1.32 only; 1.33 needs the v1.12 line.
        var coredns = (await cli.OkAsync("eks", "create-addon", "--cluster-name", "apps", "--addon-name", "coredns", "--addon-version", "v1.11.3-eksbuild.1")).Json["addon"]!;
        var errors = (await cli.OkAsync("eks", "list-insights", "--cluster-name", "apps", "--filter", """{"statuses":["ERROR"]}""")).Json["insights"]!.AsArray();
        var addons = Assert.Single(errors)!;
        Assert.Equal(("EKS add-on version compatibility", "One or more installed EKS add-on versions are not compatible with next Kubernetes version."),
            ((string?)addons["name"], (string?)addons["insightStatus"]!["reason"]));
        var described = (await cli.OkAsync("eks", "describe-insight", "--cluster-name", "apps", "--id", (string)addons["id"]!)).Json["insight"]!;
        var detail = Assert.Single(described["categorySpecificSummary"]!["addonCompatibilityDetails"]!.AsArray())!;
        Assert.Equal("coredns", (string?)detail["name"]);
        Assert.Equal(["v1.12.3-eksbuild.2", "v1.12.3-eksbuild.1", "v1.12.1-eksbuild.9"], detail["compatibleVersions"]!.AsArray().Select(v => (string)v!));
        Assert.Equal((string?)coredns["addonArn"], (string?)Assert.Single(described["resources"]!.AsArray())!["arn"]);

        // A node group left on 1.32 while the control plane goes to 1.33 is within the skew policy for 1.34: a warning.
        await cli.OkAsync("eks", "create-nodegroup", "--cluster-name", "apps", "--nodegroup-name", "workers", "--node-role", roles.RoleArns[1],
            "--subnets", sim.DefaultNetwork.PrivateSubnetIds[0], sim.DefaultNetwork.PrivateSubnetIds[1]);
        await cli.OkAsync("eks", "wait", "nodegroup-active", "--cluster-name", "apps", "--nodegroup-name", "workers");
        var nodegroupArn = (string)(await cli.OkAsync("eks", "describe-nodegroup", "--cluster-name", "apps", "--nodegroup-name", "workers")).Json["nodegroup"]!["nodegroupArn"]!;
        var updateId = (string)(await cli.OkAsync("eks", "update-cluster-version", "--name", "apps", "--kubernetes-version", "1.33")).Json["update"]!["id"]!;
        Assert.Equal("Successful", await CliScenario.PollAsync(async () =>
            (string?)(await cli.OkAsync("eks", "describe-update", "--name", "apps", "--update-id", updateId)).Json["update"]!["status"], "Successful"));

        var warnings = (await cli.OkAsync("eks", "list-insights", "--cluster-name", "apps", "--filter", """{"kubernetesVersions":["1.34"],"statuses":["WARNING"]}""")).Json["insights"]!.AsArray();
        var kubelet = Assert.Single(warnings)!;
        Assert.Equal("Kubelet version skew", (string?)kubelet["name"]);
        var skew = (await cli.OkAsync("eks", "describe-insight", "--cluster-name", "apps", "--id", (string)kubelet["id"]!)).Json["insight"]!;
        var lagging = Assert.Single(skew["resources"]!.AsArray())!;
        Assert.Equal((nodegroupArn, "WARNING"), ((string?)lagging["arn"], (string?)lagging["insightStatus"]!["status"]));
    }

    [ToolFact("aws")]
    public async Task An_injected_deprecated_api_error_is_described_and_blocks_the_upgrade_until_forced_while_enforcement_is_on()
    {
        await using var sim = await CliScenario.StartAsync();
        var roles = sim.Seed(CliScenario.Roles);
        sim.Seed(new AwsSeed { Clusters = [new AwsSeedCluster { Name = "apps", RoleArn = roles.RoleArns[0], Version = "1.32" }] });
        var cli = new AwsCli(sim);
        using var http = new HttpClient { BaseAddress = sim.BaseAddress };

        var id = (string)(await SendAsync(http, HttpMethod.Post, "_sim/insights", $$"""
            {"cluster":"apps","name":"{{Deprecated133}}","kubernetesVersion":"1.33","status":"ERROR",
             "reason":"Deprecated API usage detected within last 30 days and your cluster is on Kubernetes v1.32.",
             "recommendation":"Migrate CronJobs to batch/v1.",
             "resources":[{"kubernetesResourceUri":"/apis/batch/v1beta1/cronjobs","status":"ERROR","reason":"Still served to kubectl"}],
             "deprecationDetails":[{"usage":"/apis/batch/v1beta1/cronjobs","replacedWith":"/apis/batch/v1/cronjobs","stopServingVersion":"1.33","startServingReplacementVersion":"1.30"}]}
            """))["id"]!;

        var listed = (await cli.OkAsync("eks", "list-insights", "--cluster-name", "apps", "--filter", "categories=UPGRADE_READINESS")).Json["insights"]!.AsArray();
        var summary = Assert.Single(listed, i => (string?)i!["name"] == Deprecated133)!;
        Assert.Equal((id, "ERROR"), ((string?)summary["id"], (string?)summary["insightStatus"]!["status"]));
        Assert.StartsWith("Checks for usage of deprecated APIs that are scheduled for removal in Kubernetes v1.33.", (string?)summary["description"], StringComparison.Ordinal);

        var insight = (await cli.OkAsync("eks", "describe-insight", "--cluster-name", "apps", "--id", id)).Json["insight"]!;
        Assert.Equal("Migrate CronJobs to batch/v1.", (string?)insight["recommendation"]);
        var resource = Assert.Single(insight["resources"]!.AsArray())!;
        Assert.Equal(("/apis/batch/v1beta1/cronjobs", "ERROR", "Still served to kubectl"),
            ((string?)resource["kubernetesResourceUri"], (string?)resource["insightStatus"]!["status"], (string?)resource["insightStatus"]!["reason"]));
        var deprecation = Assert.Single(insight["categorySpecificSummary"]!["deprecationDetails"]!.AsArray())!;
        Assert.Equal(("/apis/batch/v1beta1/cronjobs", "/apis/batch/v1/cronjobs", "1.33", "1.30"),
            ((string?)deprecation["usage"], (string?)deprecation["replacedWith"], (string?)deprecation["stopServingVersion"], (string?)deprecation["startServingReplacementVersion"]));

        Assert.Equal("""{"enabled":true}""", (await SendAsync(http, HttpMethod.Put, "_sim/insights/enforce", """{"enabled":true}""")).ToJsonString());
        Assert.True((await SendAsync(http, HttpMethod.Get, "_sim/insights/enforce"))["enabled"]!.GetValue<bool>());
        var refused = await cli.FailsWithAsync("InvalidStateException", "eks", "update-cluster-version", "--name", "apps", "--kubernetes-version", "1.33");
        Assert.Contains("An error occurred (InvalidStateException) when calling the UpdateClusterVersion operation: Upgrade readiness issues detected. "
            + "Call the EKS ListInsights API to view upgrade blocking issues detected by EKS. Pass the force flag to override upgrade readiness errors and proceed with upgrade.",
            refused.Stderr, StringComparison.Ordinal);
        await cli.FailsWithAsync("InvalidStateException", "eks", "update-cluster-version", "--name", "apps", "--kubernetes-version", "1.33", "--no-force");

        var forced = (await cli.OkAsync("eks", "update-cluster-version", "--name", "apps", "--kubernetes-version", "1.33", "--force")).Json["update"]!;
        Assert.Equal(("VersionUpdate", "InProgress"), ((string?)forced["type"], (string?)forced["status"]));
    }

    [ToolFact("aws")]
    public async Task Start_insights_refresh_is_IN_PROGRESS_then_COMPLETED_and_moves_every_last_refresh_time()
    {
        // 30 minutes × TimeScale ≈ 0.36 s: long enough to be seen running, short enough to poll to completion.
        await using var sim = await AwsSimulator.StartAsync(new AwsSimulatorOptions
        {
            TimeScale = CliScenario.TimeScale, Durations = new AwsLifecycleDurations { InsightsRefresh = TimeSpan.FromMinutes(30) },
        });
        var roles = sim.Seed(CliScenario.Roles);
        sim.Seed(new AwsSeed { Clusters = [new AwsSeedCluster { Name = "apps", RoleArn = roles.RoleArns[0] }] });
        var cli = new AwsCli(sim);
        using var http = new HttpClient { BaseAddress = sim.BaseAddress };
        string[] list = ["eks", "list-insights", "--cluster-name", "apps"];

        await SendAsync(http, HttpMethod.Put, "_sim/insights/refreshed", """{"cluster":"apps","at":"2026-01-01T00:00:00Z"}""");
        var stale = (await cli.OkAsync(list)).Json["insights"]!.AsArray();
        Assert.All(stale, i => Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), Time(i!["lastRefreshTime"])));

        var started = (await cli.OkAsync("eks", "start-insights-refresh", "--cluster-name", "apps")).Json;
        Assert.Equal(("IN_PROGRESS", "Insights refresh is in progress"), ((string?)started["status"], (string?)started["message"]));
        Assert.Equal("COMPLETED", await CliScenario.PollAsync(async () =>
            (string?)(await cli.OkAsync("eks", "describe-insights-refresh", "--cluster-name", "apps")).Json["status"], "COMPLETED"));

        var refresh = (await cli.OkAsync("eks", "describe-insights-refresh", "--cluster-name", "apps")).Json;
        var endedAt = Time(refresh["endedAt"]);
        Assert.True(endedAt > Time(refresh["startedAt"]), refresh.ToJsonString());
        var fresh = (await cli.OkAsync(list)).Json["insights"]!.AsArray();
        Assert.Equal(stale.Select(i => (string)i!["id"]!), fresh.Select(i => (string)i!["id"]!));
        Assert.All(fresh, i => Assert.Equal(endedAt, Time(i!["lastRefreshTime"])));

        var state = (await SendAsync(http, HttpMethod.Get, "_sim/state"))["clusters"]![0]!;
        Assert.Equal("COMPLETED", (string?)state["insightsRefresh"]!["status"]);
        Assert.Equal(fresh.Count, state["insights"]!.AsArray().Count);
    }

    /// <summary>AWS CLI v1 prints the epoch seconds it was sent; v2 prints ISO-8601.</summary>
    private static DateTimeOffset Time(JsonNode? node) => node!.GetValueKind() == System.Text.Json.JsonValueKind.Number
        ? DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(node.GetValue<double>() * 1000))
        : DateTimeOffset.Parse((string)node!, CultureInfo.InvariantCulture);

    private static async Task<JsonNode> SendAsync(HttpClient http, HttpMethod method, string path, string? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }
}
