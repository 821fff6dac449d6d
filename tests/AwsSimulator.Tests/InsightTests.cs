using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using EksOperator.Simulators.Aws.Internal;

namespace EksOperator.Simulators.Aws.Tests;

/// <summary>Cluster insights, their refresh and the upgrade-readiness block, on a FakeTimeProvider (reference §4).</summary>
public sealed class InsightTests
{
    private static readonly HttpMethod Get = HttpMethod.Get;
    private static readonly HttpMethod Post = HttpMethod.Post;

    private static readonly string[] UpgradeInsightNames =
    [
        "Cluster health issues", "Deprecated APIs removed in Kubernetes v1.34", "EKS add-on version compatibility", "Kubelet version skew", "kube-proxy version skew",
    ];

    [Fact]
    public async Task A_new_cluster_has_passing_upgrade_insights_for_its_next_minor_with_stable_ids_refreshed_when_it_became_ACTIVE()
    {
        await using var sim = await TestSim.StartAsync();
        await sim.EksAsync(Post, "/clusters", sim.ClusterRequest("i1"));
        Assert.Equal("[]", (await ListAsync(sim, "i1")).ToJsonString());
        var activeAt = sim.Time.GetUtcNow() + TimeSpan.FromMinutes(12);
        sim.Time.Advance(TimeSpan.FromMinutes(20));

        var insights = await ListAsync(sim, "i1");
        Assert.Equal(UpgradeInsightNames, insights.Select(i => (string)i!["name"]!));
        Assert.All(insights, i =>
        {
            Assert.Equal(("UPGRADE_READINESS", "1.34", "PASSING"), ((string?)i!["category"], (string?)i["kubernetesVersion"], (string?)i["insightStatus"]!["status"]));
            Assert.Equal(activeAt.ToUnixTimeSeconds(), (long)i["lastRefreshTime"]!.GetValue<double>());
            Assert.Equal(activeAt.ToUnixTimeSeconds(), (long)i["lastTransitionTime"]!.GetValue<double>());
            Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", (string)i["id"]!);
        });
        Assert.Equal(insights.Select(i => (string)i!["id"]!), (await ListAsync(sim, "i1")).Select(i => (string)i!["id"]!));
        Assert.Equal(5, insights.Select(i => (string)i!["id"]!).Distinct().Count());

        var deprecated = insights.First(i => ((string)i!["name"]!).StartsWith("Deprecated", StringComparison.Ordinal))!;
        var described = (await sim.EksAsync(Get, $"/clusters/i1/insights/{deprecated["id"]}")).Body!["insight"]!;
        Assert.Equal("No deprecated API usage detected within the last 30 days.", (string?)described["insightStatus"]!["reason"]);
        Assert.Equal("Update manifests and API clients to use newer Kubernetes APIs if applicable before upgrading to Kubernetes v1.34.", (string?)described["recommendation"]);
        Assert.Equal("https://kubernetes.io/docs/reference/using-api/deprecation-guide/#v1-34", (string?)described["additionalInfo"]!["Kubernetes v1.34 deprecation guide"]);
        Assert.Equal("""{"deprecationDetails":[],"addonCompatibilityDetails":[]}""", described["categorySpecificSummary"]!.ToJsonString());
        Assert.Equal("[]", described["resources"]!.ToJsonString());
    }

    [Fact]
    public async Task ListInsights_filters_pages_and_refuses_bad_values_and_unknown_clusters()
    {
        await using var sim = await TestSim.StartAsync();
        await sim.CreateActiveClusterAsync("i2");
        await InjectAsync(sim, new JsonObject { ["cluster"] = "i2", ["name"] = "Deprecated APIs removed in Kubernetes v1.35", ["kubernetesVersion"] = "1.35", ["status"] = "WARNING", ["reason"] = "r" });

        Assert.Equal(6, (await ListAsync(sim, "i2", new { filter = new { categories = new[] { "UPGRADE_READINESS" } } })).Count);
        Assert.Empty(await ListAsync(sim, "i2", new { filter = new { categories = new[] { "MISCONFIGURATION" } } }));
        var warning = Assert.Single(await ListAsync(sim, "i2", new { filter = new { statuses = new[] { "WARNING", "ERROR" } } }))!;
        Assert.Equal("1.35", (string?)warning["kubernetesVersion"]);
        Assert.Equal(5, (await ListAsync(sim, "i2", new { filter = new { kubernetesVersions = new[] { "1.34" } } })).Count);

        var ids = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = (await sim.EksAsync(Post, "/clusters/i2/insights", token is null ? new { maxResults = 4 } : new { maxResults = 4, nextToken = token })).Body!;
            ids.AddRange(page["insights"]!.AsArray().Select(i => (string)i!["id"]!));
            token = (string?)page["nextToken"];
            pages++;
        }
        while (token is not null);
        Assert.Equal((2, 6), (pages, ids.Distinct().Count()));

        foreach (var bad in new object[] { new { filter = new { statuses = new[] { "FAILING" } } }, new { filter = new { categories = new[] { "upgrade" } } },
                     new { filter = new { kubernetesVersions = new[] { "v1.34" } } }, new { maxResults = 0 }, new { maxResults = 101 }, new { nextToken = "%%%" } })
        {
            var refused = await sim.EksAsync(Post, "/clusters/i2/insights", bad);
            Assert.Equal((HttpStatusCode.BadRequest, "InvalidParameterException"), (refused.Status, refused.ErrorType));
        }

        Assert.Equal("ResourceNotFoundException", (await sim.EksAsync(Post, "/clusters/nope/insights", new { })).ErrorType);
        Assert.Equal("ResourceNotFoundException", (await sim.EksAsync(Get, $"/clusters/nope/insights/{ids[0]}")).ErrorType);
        Assert.Equal("ResourceNotFoundException", (await sim.EksAsync(Post, "/clusters/nope/insights-refresh")).ErrorType);
        Assert.Equal("ResourceNotFoundException", (await sim.EksAsync(Get, "/clusters/nope/insights-refresh")).ErrorType);
        var unknownId = await sim.EksAsync(Get, "/clusters/i2/insights/00000000-0000-4000-8000-000000000000");
        Assert.Equal((HttpStatusCode.NotFound, "ResourceNotFoundException"), (unknownId.Status, unknownId.ErrorType));
    }

    [Fact]
    public async Task An_addon_without_a_release_for_the_next_minor_is_an_ERROR_whose_transition_time_is_when_it_changed()
    {
        await using var sim = await TestSim.StartAsync();
        await sim.CreateActiveClusterAsync("i3", "1.32");
        Assert.Equal("PASSING", Status(await ListAsync(sim, "i3"), "EKS add-on version compatibility"));

        sim.Time.Advance(TimeSpan.FromMinutes(5));
        var changedAt = sim.Time.GetUtcNow();
        var coredns = (await sim.EksAsync(Post, "/clusters/i3/addons", new { addonName = "coredns", addonVersion = "v1.11.3-eksbuild.1" })).Body!["addon"]!;
        await sim.EksAsync(Post, "/clusters/i3/addons", new { addonName = "kube-proxy" });
        await sim.EksAsync(Post, "/clusters/i3/addons", new { addonName = "vpc-cni" });
        sim.Time.Advance(TimeSpan.FromMinutes(1));

        var insights = await ListAsync(sim, "i3");
        var addons = insights.First(i => (string?)i!["name"] == "EKS add-on version compatibility")!;
        Assert.Equal("ERROR", (string?)addons["insightStatus"]!["status"]);
        Assert.Equal(changedAt.ToUnixTimeSeconds(), (long)addons["lastTransitionTime"]!.GetValue<double>());
        Assert.True(addons["lastRefreshTime"]!.GetValue<double>() < addons["lastTransitionTime"]!.GetValue<double>());
        Assert.Equal("PASSING", Status(insights, "kube-proxy version skew"));

        var described = (await sim.EksAsync(Get, $"/clusters/i3/insights/{addons["id"]}")).Body!["insight"]!;
        var detail = Assert.Single(described["categorySpecificSummary"]!["addonCompatibilityDetails"]!.AsArray())!;
        Assert.Equal("coredns", (string?)detail["name"]);
        Assert.Equal(["v1.12.3-eksbuild.2", "v1.12.3-eksbuild.1", "v1.12.1-eksbuild.9"], detail["compatibleVersions"]!.AsArray().Select(v => (string)v!));
        var resource = Assert.Single(described["resources"]!.AsArray())!;
        Assert.Equal(((string?)coredns["addonArn"], "ERROR"), ((string?)resource["arn"], (string?)resource["insightStatus"]!["status"]));

        // Moving coredns to the next band's line is not possible on 1.32, but deleting it clears the finding.
        await sim.EksAsync(HttpMethod.Delete, "/clusters/i3/addons/coredns");
        sim.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal("PASSING", Status(await ListAsync(sim, "i3"), "EKS add-on version compatibility"));
    }

    [Fact]
    public async Task After_a_control_plane_upgrade_lagging_node_groups_and_kube_proxy_are_warnings_for_the_next_minor()
    {
        await using var sim = await TestSim.StartAsync();
        await sim.CreateActiveClusterAsync("i4", "1.32");
        await sim.CreateActiveNodegroupAsync("i4", "workers");
        await sim.EksAsync(Post, "/clusters/i4/addons", new { addonName = "kube-proxy" });
        sim.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal("PASSING", Status(await ListAsync(sim, "i4"), "Kubelet version skew"));

        Assert.Equal(HttpStatusCode.OK, (await sim.EksAsync(Post, "/clusters/i4/updates", new { version = "1.33" })).Status);
        sim.Time.Advance(TimeSpan.FromMinutes(13));
        var insights = await ListAsync(sim, "i4");
        Assert.All(insights, i => Assert.Equal("1.34", (string?)i!["kubernetesVersion"]));
        var kubelet = insights.First(i => (string?)i!["name"] == "Kubelet version skew")!;
        Assert.Equal("WARNING", (string?)kubelet["insightStatus"]!["status"]);
        Assert.Equal("WARNING", Status(insights, "kube-proxy version skew"));
        var resource = Assert.Single((await sim.EksAsync(Get, $"/clusters/i4/insights/{kubelet["id"]}")).Body!["insight"]!["resources"]!.AsArray())!;
        Assert.Equal("arn:aws:eks:us-west-2:123456789012:nodegroup/i4/workers/", ((string)resource["arn"]!)[..^36]);
    }

    [Fact]
    public void Kubelets_that_an_upgrade_would_put_more_than_three_minors_behind_are_an_ERROR()
    {
        var world = new World(new AwsSimulatorOptions());
        var cluster = new Cluster
        {
            Name = "skew", Arn = "arn:aws:eks:us-west-2:123456789012:cluster/skew", Id = "ID", CreatedAt = world.Now, Version = "1.34", RoleArn = "r",
            ClusterSecurityGroupId = "sg", VpcId = "vpc", Status = "ACTIVE",
        };
        foreach (var (name, version) in new[] { ("ok", "1.34"), ("two", "1.32"), ("three", "1.31") })
        {
            cluster.Nodegroups[name] = new Nodegroup
            {
                Name = name, Arn = $"arn:{name}", ClusterName = "skew", Uuid = name, Version = version, ReleaseVersion = version, CreatedAt = world.Now,
                Subnets = [], AmiType = "AL2023_x86_64_STANDARD", NodeRole = "n", Status = "ACTIVE",
            };
        }

        var kubelet = InsightRules.Compute(world, cluster).Single(f => f.Name == InsightRules.KubeletSkew);
        Assert.Equal(("ERROR", "1.35"), (kubelet.Status, kubelet.KubernetesVersion));
        Assert.Equal([("arn:three", "ERROR"), ("arn:two", "WARNING")], kubelet.Resources.Select(r => (r.Arn, r.Status)));

        cluster.Nodegroups.Remove("three");
        Assert.Equal("WARNING", InsightRules.Compute(world, cluster).Single(f => f.Name == InsightRules.KubeletSkew).Status);

        // 1.35 is the newest supported minor: there is nothing to upgrade to, so no upgrade insights.
        cluster.Version = "1.35";
        Assert.Empty(InsightRules.Compute(world, cluster));
    }

    [Fact]
    public async Task A_refresh_is_IN_PROGRESS_for_its_duration_then_COMPLETED_and_every_insight_was_refreshed_when_it_ended()
    {
        await using var sim = await TestSim.StartAsync();
        await sim.CreateActiveClusterAsync("i5");
        var initial = (await sim.EksAsync(Get, "/clusters/i5/insights-refresh")).Body!;
        Assert.Equal("COMPLETED", (string?)initial["status"]);

        sim.Time.Advance(TimeSpan.FromHours(1));
        var startedAt = sim.Time.GetUtcNow();
        var started = (await sim.EksAsync(Post, "/clusters/i5/insights-refresh")).Body!;
        Assert.Equal("""{"message":"Insights refresh is in progress","status":"IN_PROGRESS"}""", started.ToJsonString());
        sim.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal("IN_PROGRESS", (string?)(await sim.EksAsync(Post, "/clusters/i5/insights-refresh")).Body!["status"]);
        var running = (await sim.EksAsync(Get, "/clusters/i5/insights-refresh")).Body!;
        Assert.Equal(("IN_PROGRESS", startedAt.ToUnixTimeSeconds(), null), ((string?)running["status"], (long)running["startedAt"]!.GetValue<double>(), running["endedAt"]));
        Assert.True((await ListAsync(sim, "i5")).All(i => i!["lastRefreshTime"]!.GetValue<double>() < startedAt.ToUnixTimeSeconds()));

        sim.Time.Advance(TimeSpan.FromSeconds(30));
        var done = (await sim.EksAsync(Get, "/clusters/i5/insights-refresh")).Body!;
        var endedAt = startedAt + TimeSpan.FromMinutes(1);
        Assert.Equal(("COMPLETED", startedAt.ToUnixTimeSeconds(), endedAt.ToUnixTimeSeconds()),
            ((string?)done["status"], (long)done["startedAt"]!.GetValue<double>(), (long)done["endedAt"]!.GetValue<double>()));
        Assert.All(await ListAsync(sim, "i5"), i => Assert.Equal(endedAt.ToUnixTimeSeconds(), (long)i!["lastRefreshTime"]!.GetValue<double>()));

        // The control API can make them stale; the state dump shows both.
        using var stale = Json("""{"cluster":"i5","at":"2026-01-01T00:00:00Z"}""");
        Assert.Equal(HttpStatusCode.OK, (await sim.Http.PutAsync("_sim/insights/refreshed", stale)).StatusCode);
        Assert.All(await ListAsync(sim, "i5"), i => Assert.Equal(1767225600, (long)i!["lastRefreshTime"]!.GetValue<double>()));
        var state = JsonNode.Parse(await sim.Http.GetStringAsync("_sim/state"))!["clusters"]![0]!;
        Assert.Equal(("COMPLETED", "2026-01-01T00:00:00.0000000+00:00"), ((string?)state["insightsRefresh"]!["status"], (string?)state["insightsRefresh"]!["endedAt"]));
        Assert.Equal(5, state["insights"]!.AsArray().Count);
        Assert.Equal("PASSING", (string?)state["insights"]![0]!["status"]);
    }

    [Fact]
    public async Task With_enforcement_on_an_ERROR_insight_for_the_target_version_refuses_the_upgrade_unless_forced()
    {
        await using var sim = await TestSim.StartAsync();
        await sim.CreateActiveClusterAsync("i6");
        Assert.Equal("""{"enabled":false}""", await sim.Http.GetStringAsync("_sim/insights/enforce"));
        var injected = await InjectAsync(sim, new JsonObject { ["cluster"] = "i6", ["name"] = "Cluster health issues", ["kubernetesVersion"] = "1.34", ["status"] = "ERROR", ["reason"] = "sick" });
        Assert.Equal((string?)(await ListAsync(sim, "i6")).First(i => (string?)i!["name"] == "Cluster health issues")!["id"], injected);
        Assert.Equal("ERROR", Status(await ListAsync(sim, "i6"), "Cluster health issues"));

        using var on = Json("""{"enabled":true}""");
        Assert.Equal("""{"enabled":true}""", await (await sim.Http.PutAsync("_sim/insights/enforce", on)).Content.ReadAsStringAsync());
        var refused = await sim.EksAsync(Post, "/clusters/i6/updates", new { version = "1.34" });
        Assert.Equal((HttpStatusCode.BadRequest, "InvalidStateException"), (refused.Status, refused.ErrorType));
        Assert.Equal(EksService.UpgradeBlockedMessage, refused.Message);
        Assert.Equal("i6", (string?)refused.Body!["clusterName"]);
        Assert.Equal("InvalidStateException", (await sim.EksAsync(Post, "/clusters/i6/updates", new { version = "1.34", force = false })).ErrorType);

        // Clearing the injected insight lifts the block; injecting it again and forcing proceeds anyway.
        Assert.Equal(HttpStatusCode.OK, (await sim.Http.DeleteAsync("_sim/insights?cluster=i6")).StatusCode);
        Assert.Equal("PASSING", Status(await ListAsync(sim, "i6"), "Cluster health issues"));
        await InjectAsync(sim, new JsonObject { ["cluster"] = "i6", ["name"] = "Cluster health issues", ["kubernetesVersion"] = "1.34", ["status"] = "ERROR", ["reason"] = "sick" });
        var forced = await sim.EksAsync(Post, "/clusters/i6/updates", new { version = "1.34", force = true });
        Assert.Equal(HttpStatusCode.OK, forced.Status);
        Assert.Equal("VersionUpdate", (string?)forced.Body!["update"]!["type"]);
    }

    [Fact]
    public async Task With_enforcement_off_as_in_todays_AWS_an_ERROR_insight_does_not_block()
    {
        await using var sim = await TestSim.StartAsync();
        await sim.CreateActiveClusterAsync("i7");
        await InjectAsync(sim, new JsonObject { ["cluster"] = "i7", ["name"] = "Deprecated APIs removed in Kubernetes v1.34", ["kubernetesVersion"] = "1.34", ["status"] = "ERROR", ["reason"] = "r" });
        Assert.Equal(HttpStatusCode.OK, (await sim.EksAsync(Post, "/clusters/i7/updates", new { version = "1.34" })).Status);
    }

    [Fact]
    public async Task Enforcement_can_be_on_from_the_start_and_only_ERROR_insights_for_the_target_version_block()
    {
        await using var sim = await TestSim.StartAsync(o => o with { EnforceUpgradeInsights = true });
        await sim.CreateActiveClusterAsync("i8");
        await InjectAsync(sim, new JsonObject { ["cluster"] = "i8", ["name"] = "Deprecated APIs removed in Kubernetes v1.35", ["kubernetesVersion"] = "1.35", ["status"] = "ERROR", ["reason"] = "r" });
        await InjectAsync(sim, new JsonObject { ["cluster"] = "i8", ["name"] = "Kubelet version skew", ["kubernetesVersion"] = "1.34", ["status"] = "WARNING", ["reason"] = "r" });
        Assert.Equal(HttpStatusCode.OK, (await sim.EksAsync(Post, "/clusters/i8/updates", new { version = "1.34" })).Status);
    }

    [Fact]
    public async Task Cluster_health_issues_show_in_DescribeCluster_and_make_the_cluster_health_insight_an_ERROR()
    {
        await using var sim = await TestSim.StartAsync();
        var cluster = await sim.CreateActiveClusterAsync("ih");
        using var sick = Json("""{"clusterName":"ih","issues":[{"code":"Ec2SubnetNotFound","message":"subnet gone","resourceIds":["subnet-1"]}]}""");
        Assert.Equal(HttpStatusCode.OK, (await sim.Http.PutAsync("_sim/clusters/health", sick)).StatusCode);

        var issue = Assert.Single((await sim.EksAsync(Get, "/clusters/ih")).Body!["cluster"]!["health"]!["issues"]!.AsArray())!;
        Assert.Equal("""{"code":"Ec2SubnetNotFound","message":"subnet gone","resourceIds":["subnet-1"]}""", issue.ToJsonString());
        var health = (await ListAsync(sim, "ih")).First(i => (string?)i!["name"] == "Cluster health issues")!;
        Assert.Equal(("ERROR", "Cluster health issues detected: Ec2SubnetNotFound."), ((string?)health["insightStatus"]!["status"], (string?)health["insightStatus"]!["reason"]));
        var resource = Assert.Single((await sim.EksAsync(Get, $"/clusters/ih/insights/{health["id"]}")).Body!["insight"]!["resources"]!.AsArray())!;
        Assert.Equal((string?)cluster["arn"], (string?)resource["arn"]);

        using var bad = Json("""{"clusterName":"ih","issues":[{"code":"Sick"}]}""");
        Assert.Equal(HttpStatusCode.BadRequest, (await sim.Http.PutAsync("_sim/clusters/health", bad)).StatusCode);
        using var healed = Json("""{"clusterName":"ih","issues":[]}""");
        await sim.Http.PutAsync("_sim/clusters/health", healed);
        Assert.Equal("PASSING", Status(await ListAsync(sim, "ih"), "Cluster health issues"));
        Assert.Equal("[]", (await sim.EksAsync(Get, "/clusters/ih")).Body!["cluster"]!["health"]!["issues"]!.ToJsonString());
    }

    [Fact]
    public async Task ListInsights_is_a_POST_but_rate_limiting_counts_it_as_a_read()
    {
        await using var sim = await TestSim.StartAsync();
        await sim.CreateActiveClusterAsync("ir");
        sim.Simulator.Faults.WriteLimit = new AwsRateLimit(1, 0.0001);
        sim.Simulator.Faults.EnforceRateLimits = true;
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await sim.EksAsync(Post, "/clusters/ir/insights", new { })).Status);
        }

        Assert.Equal(HttpStatusCode.OK, (await sim.EksAsync(Post, "/clusters/ir/insights-refresh")).Status);
        Assert.Equal("ThrottlingException", (await sim.EksAsync(Post, "/clusters/ir/insights-refresh")).ErrorType);
    }

    [Fact]
    public async Task The_control_API_refuses_malformed_insights()
    {
        await using var sim = await TestSim.StartAsync();
        await sim.CreateActiveClusterAsync("i9");
        foreach (var body in new[]
                 {
                     """{"cluster":"nope","name":"n","kubernetesVersion":"1.34","status":"ERROR","reason":"r"}""",
                     """{"cluster":"i9","kubernetesVersion":"1.34","status":"ERROR","reason":"r"}""",
                     """{"cluster":"i9","name":"n","kubernetesVersion":"1.34","status":"BROKEN","reason":"r"}""",
                     """{"cluster":"i9","name":"n","kubernetesVersion":"1.34","status":"ERROR","category":"OTHER"}""",
                 })
        {
            using var content = Json(body);
            Assert.Equal(HttpStatusCode.BadRequest, (await sim.Http.PostAsync("_sim/insights", content)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await sim.Http.DeleteAsync("_sim/insights")).StatusCode);
    }

    internal static async Task<string> InjectAsync(TestSim sim, JsonObject body)
    {
        using var content = Json(body.ToJsonString());
        using var response = await sim.Http.PostAsync("_sim/insights", content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return (string)JsonNode.Parse(text)!["id"]!;
    }

    private static async Task<JsonArray> ListAsync(TestSim sim, string cluster, object? body = null)
    {
        var reply = await sim.EksAsync(Post, $"/clusters/{cluster}/insights", body ?? new { });
        Assert.True(reply.Status == HttpStatusCode.OK, reply.Body?.ToJsonString());
        return reply.Body!["insights"]!.AsArray();
    }

    private static string? Status(JsonArray insights, string name) =>
        (string?)insights.First(i => (string?)i!["name"] == name)!["insightStatus"]!["status"];

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
