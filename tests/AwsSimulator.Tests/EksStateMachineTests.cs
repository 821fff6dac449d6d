using System.Net;
using System.Text.Json.Nodes;

namespace EksOperator.Simulators.Aws.Tests;

/// <summary>Lifecycles and rules of EKS resources, on a FakeTimeProvider (no sleeps).</summary>
public sealed class EksStateMachineTests
{
    private static readonly HttpMethod Get = HttpMethod.Get;
    private static readonly HttpMethod Post = HttpMethod.Post;
    private static readonly HttpMethod Delete = HttpMethod.Delete;

    [Fact]
    public async Task Cluster_is_CREATING_until_the_create_duration_has_passed_then_ACTIVE_with_endpoint()
    {
        await using var sim = await TestSim.StartAsync();
        var created = await sim.EksAsync(Post, "/clusters", sim.ClusterRequest("c1"));
        Assert.Equal(HttpStatusCode.OK, created.Status);
        var cluster = created.Body!["cluster"]!;
        Assert.Equal("CREATING", (string?)cluster["status"]);
        Assert.Null(cluster["endpoint"]);
        Assert.Equal("arn:aws:eks:us-west-2:123456789012:cluster/c1", (string?)cluster["arn"]);
        Assert.Equal(sim.Time.GetUtcNow().ToUnixTimeSeconds(), (long)cluster["createdAt"]!.GetValue<double>());

        sim.Time.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal("CREATING", (string?)(await sim.EksAsync(Get, "/clusters/c1")).Body!["cluster"]!["status"]);

        sim.Time.Advance(TimeSpan.FromMinutes(1));
        var active = (await sim.EksAsync(Get, "/clusters/c1")).Body!["cluster"]!;
        Assert.Equal("ACTIVE", (string?)active["status"]);
        Assert.StartsWith("https://", (string?)active["endpoint"], StringComparison.Ordinal);
        Assert.NotNull(active["certificateAuthority"]!["data"]);
        Assert.StartsWith("https://oidc.eks.us-west-2.amazonaws.com/id/", (string?)active["identity"]!["oidc"]!["issuer"], StringComparison.Ordinal);
        Assert.Equal("1.33", (string?)active["version"]);
    }

    [Fact]
    public async Task TimeScale_shortens_every_duration()
    {
        await using var sim = await TestSim.StartAsync(o => o with { TimeScale = 0.01 });
        await sim.EksAsync(Post, "/clusters", sim.ClusterRequest("fast"));
        sim.Time.Advance(TimeSpan.FromSeconds(7.1)); // 12 min × 0.01 = 7.2 s
        Assert.Equal("CREATING", (string?)(await sim.EksAsync(Get, "/clusters/fast")).Body!["cluster"]!["status"]);
        sim.Time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal("ACTIVE", (string?)(await sim.EksAsync(Get, "/clusters/fast")).Body!["cluster"]!["status"]);
    }

    [Fact]
    public async Task Duplicate_cluster_name_is_ResourceInUseException_with_AWS_error_shape()
    {
        await using var sim = await TestSim.StartAsync();
        await sim.EksAsync(Post, "/clusters", sim.ClusterRequest("dup"));
        var again = await sim.EksAsync(Post, "/clusters", sim.ClusterRequest("dup"));
        Assert.Equal(HttpStatusCode.Conflict, again.Status);
        Assert.Equal("ResourceInUseException", again.ErrorType);
        Assert.Equal("Cluster already exists with name: dup", again.Message);
        var body = again.Body!.AsObject();
        Assert.Equal("dup", (string?)body["clusterName"]);
        Assert.True(body.ContainsKey("nodegroupName") && body["nodegroupName"] is null, "members are sent as explicit nulls");
    }

    [Fact]
    public async Task Same_client_request_token_replays_and_a_different_request_with_it_is_rejected()
    {
        await using var sim = await TestSim.StartAsync();
        var token = new string('t', 36);
        var first = await sim.EksAsync(Post, "/clusters", sim.ClusterRequest("idem", token: token));
        var replay = await sim.EksAsync(Post, "/clusters", sim.ClusterRequest("idem", token: token));
        Assert.Equal(HttpStatusCode.OK, replay.Status);
        Assert.Equal((string?)first.Body!["cluster"]!["arn"], (string?)replay.Body!["cluster"]!["arn"]);
        Assert.Single((await sim.EksAsync(Get, "/clusters")).Body!["clusters"]!.AsArray());

        var mismatch = await sim.EksAsync(Post, "/clusters", sim.ClusterRequest("idem", version: "1.34", token: token));
        Assert.Equal("InvalidParameterException", mismatch.ErrorType);

        var shortToken = await sim.EksAsync(Post, "/clusters", sim.ClusterRequest("other", token: "short"));
        Assert.Equal(HttpStatusCode.BadRequest, shortToken.Status);
        Assert.Equal("The client request token parameter must be between 33 and 126 characters.", shortToken.Message);
    }

    [Theory]
    [InlineData("-starts-with-dash")]
    [InlineData("has space")]
    [InlineData("")]
    public async Task Invalid_cluster_names_are_rejected(string name)
    {
        await using var sim = await TestSim.StartAsync();
        var reply = await sim.EksAsync(Post, "/clusters", sim.ClusterRequest(name));
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("InvalidParameterException", reply.ErrorType);
    }

    [Fact]
    public async Task Unsupported_version_and_subnets_in_one_zone_are_rejected()
    {
        await using var sim = await TestSim.StartAsync();
        var unsupported = await sim.EksAsync(Post, "/clusters", sim.ClusterRequest("v", version: "1.20"));
        Assert.Equal("unsupported Kubernetes version", unsupported.Message);

        var oneZone = await sim.EksAsync(Post, "/clusters", new
        {
            name = "z",
            roleArn = sim.ClusterRoleArn,
            resourcesVpcConfig = new { subnetIds = new[] { sim.Network.PublicSubnetIds[0], sim.Network.PrivateSubnetIds[0] } },
        });
        Assert.Equal("InvalidParameterException", oneZone.ErrorType);
        Assert.Contains("two different AZs", oneZone.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Default_version_is_used_when_none_is_given()
    {
        await using var sim = await TestSim.StartAsync();
        var reply = await sim.EksAsync(Post, "/clusters", new
        {
            name = "d",
            roleArn = sim.ClusterRoleArn,
            resourcesVpcConfig = new { subnetIds = sim.Network.PrivateSubnetIds },
        });
        Assert.Equal("1.34", (string?)reply.Body!["cluster"]!["version"]);
        Assert.Equal("CONFIG_MAP", (string?)reply.Body!["cluster"]!["accessConfig"]!["authenticationMode"]);
    }

    [Fact]
    public async Task Version_update_is_one_minor_at_a_time_one_update_in_flight_and_UPDATING_shows_up_late()
    {
        await using var sim = await TestSim.StartAsync();
        await sim.CreateActiveClusterAsync("up", "1.32");

        var skip = await sim.EksAsync(Post, "/clusters/up/updates", new { version = "1.34" });
        Assert.Equal(HttpStatusCode.BadRequest, skip.Status);
        Assert.Equal("InvalidParameterException", skip.ErrorType);
        Assert.Equal("Unsupported Kubernetes minor version update from 1.32 to 1.34", skip.Message);

        var downgrade = await sim.EksAsync(Post, "/clusters/up/updates", new { version = "1.31" });
        Assert.Equal("Unsupported Kubernetes minor version update from 1.32 to 1.31", downgrade.Message);

        var started = await sim.EksAsync(Post, "/clusters/up/updates", new { version = "1.33" });
        Assert.Equal(HttpStatusCode.OK, started.Status);
        var update = started.Body!["update"]!;
        Assert.Equal("InProgress", (string?)update["status"]);
        Assert.Equal("VersionUpdate", (string?)update["type"]);
        Assert.Contains(update["params"]!.AsArray(), p => (string?)p!["type"] == "Version" && (string?)p["value"] == "1.33");
        var updateId = (string)update["id"]!;

        Assert.Equal("ACTIVE", (string?)(await sim.EksAsync(Get, "/clusters/up")).Body!["cluster"]!["status"]);
        sim.Time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal("UPDATING", (string?)(await sim.EksAsync(Get, "/clusters/up")).Body!["cluster"]!["status"]);

        var second = await sim.EksAsync(Post, "/clusters/up/update-config", new { logging = new { clusterLogging = new[] { new { types = new[] { "api" }, enabled = true } } } });
        Assert.Equal(HttpStatusCode.Conflict, second.Status);
        Assert.Equal("ResourceInUseException", second.ErrorType);
        Assert.Equal($"Cannot LoggingUpdate because cluster up currently has update {updateId} in progress", second.Message);

        sim.Time.Advance(TimeSpan.FromMinutes(12));
        var done = (await sim.EksAsync(Get, $"/clusters/up/updates/{updateId}")).Body!["update"]!;
        Assert.Equal("Successful", (string?)done["status"]);
        var cluster = (await sim.EksAsync(Get, "/clusters/up")).Body!["cluster"]!;
        Assert.Equal("ACTIVE", (string?)cluster["status"]);
        Assert.Equal("1.33", (string?)cluster["version"]);

        var ids = (await sim.EksAsync(Get, "/clusters/up/updates")).Body!["updateIds"]!.AsArray();
        Assert.Equal([updateId], ids.Select(i => (string)i!));
    }

    [Fact]
    public async Task Config_update_allows_one_kind_of_change_and_rejects_no_ops()
    {
        await using var sim = await TestSim.StartAsync();
        await sim.CreateActiveClusterAsync("cfg");

        var mixed = await sim.EksAsync(Post, "/clusters/cfg/update-config", new
        {
            resourcesVpcConfig = new { endpointPrivateAccess = true },
            logging = new { clusterLogging = new[] { new { types = new[] { "api" }, enabled = true } } },
        });
        Assert.Equal("Only one type of update can be allowed.", mixed.Message);

        var noop = await sim.EksAsync(Post, "/clusters/cfg/update-config", new { logging = new { clusterLogging = new[] { new { types = new[] { "api" }, enabled = false } } } });
        Assert.Equal("No changes needed for the logging config provided", noop.Message);

        var endpoint = await sim.EksAsync(Post, "/clusters/cfg/update-config", new { resourcesVpcConfig = new { endpointPrivateAccess = true } });
        Assert.Equal("EndpointAccessUpdate", (string?)endpoint.Body!["update"]!["type"]);
        sim.Time.Advance(TimeSpan.FromMinutes(3));
        var cluster = (await sim.EksAsync(Get, "/clusters/cfg")).Body!["cluster"]!;
        Assert.True((bool)cluster["resourcesVpcConfig"]!["endpointPrivateAccess"]!);

        var backwards = await sim.EksAsync(Post, "/clusters/cfg/update-config", new { accessConfig = new { authenticationMode = "API" } });
        Assert.Equal(HttpStatusCode.OK, backwards.Status);
        sim.Time.Advance(TimeSpan.FromMinutes(3));
        var undo = await sim.EksAsync(Post, "/clusters/cfg/update-config", new { accessConfig = new { authenticationMode = "CONFIG_MAP" } });
        Assert.Equal("InvalidParameterException", undo.ErrorType);
    }

    [Fact]
    public async Task Nodegroup_lifecycle_versions_and_the_cluster_upgrade_gate()
    {
        await using var sim = await TestSim.StartAsync();
        await sim.CreateActiveClusterAsync("ngc", "1.32");

        var tooNew = await sim.EksAsync(Post, "/clusters/ngc/node-groups", new { nodegroupName = "x", nodeRole = sim.NodeRoleArn, subnets = sim.Network.PrivateSubnetIds, version = "1.33" });
        Assert.Equal("Nodegroup Kubernetes version should be equal to Cluster kubernetes version 1.32 or NodeGroup kubernetes version 1.32", tooNew.Message);

        var created = await sim.EksAsync(Post, "/clusters/ngc/node-groups", sim.NodegroupRequest("ng1"));
        var ng = created.Body!["nodegroup"]!;
        Assert.Equal("CREATING", (string?)ng["status"]);
        Assert.Equal("1.32", (string?)ng["version"]);
        Assert.StartsWith("arn:aws:eks:us-west-2:123456789012:nodegroup/ngc/ng1/", (string?)ng["nodegroupArn"], StringComparison.Ordinal);
        Assert.Equal(["t3.medium"], ng["instanceTypes"]!.AsArray().Select(i => (string)i!));
        Assert.Equal(1, (int)ng["updateConfig"]!["maxUnavailable"]!);

        var dup = await sim.EksAsync(Post, "/clusters/ngc/node-groups", sim.NodegroupRequest("ng1"));
        Assert.Equal("NodeGroup already exists with name ng1 and cluster name ngc", dup.Message);

        sim.Time.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal("ACTIVE", (string?)(await sim.EksAsync(Get, "/clusters/ngc/node-groups/ng1")).Body!["nodegroup"]!["status"]);

        // The control plane goes first; then node groups must catch up before the next step.
        var cpUpdate = await sim.EksAsync(Post, "/clusters/ngc/updates", new { version = "1.33" });
        Assert.Equal(HttpStatusCode.OK, cpUpdate.Status);
        var ngDuring = await sim.EksAsync(Post, "/clusters/ngc/node-groups/ng1/update-version", new { });
        Assert.Equal("ResourceInUseException", ngDuring.ErrorType);
        sim.Time.Advance(TimeSpan.FromMinutes(12));

        var gate = await sim.EksAsync(Post, "/clusters/ngc/updates", new { version = "1.34" });
        Assert.Equal("InvalidParameterException", gate.ErrorType);
        Assert.Contains("ng1", gate.Message, StringComparison.Ordinal);

        var ngUpdate = await sim.EksAsync(Post, "/clusters/ngc/node-groups/ng1/update-version", new { });
        Assert.Equal(HttpStatusCode.OK, ngUpdate.Status);
        var ngUpdateId = (string)ngUpdate.Body!["update"]!["id"]!;
        Assert.Equal("UPDATING", (string?)(await sim.EksAsync(Get, "/clusters/ngc/node-groups/ng1")).Body!["nodegroup"]!["status"]);
        var busy = await sim.EksAsync(Post, "/clusters/ngc/node-groups/ng1/update-config", new { scalingConfig = new { desiredSize = 3 } });
        Assert.Equal("ResourceInUseException", busy.ErrorType);

        Assert.Equal(HttpStatusCode.NotFound, (await sim.EksAsync(Get, $"/clusters/ngc/updates/{ngUpdateId}")).Status);
        sim.Time.Advance(TimeSpan.FromMinutes(3) + TimeSpan.FromSeconds(30 * 2));
        var described = await sim.EksAsync(Get, $"/clusters/ngc/updates/{ngUpdateId}?nodegroupName=ng1");
        Assert.Equal("Successful", (string?)described.Body!["update"]!["status"]);
        var after = (await sim.EksAsync(Get, "/clusters/ngc/node-groups/ng1")).Body!["nodegroup"]!;
        Assert.Equal("ACTIVE", (string?)after["status"]);
        Assert.Equal("1.33", (string?)after["version"]);
        Assert.StartsWith("1.33.", (string?)after["releaseVersion"], StringComparison.Ordinal);
        Assert.Equal([ngUpdateId], (await sim.EksAsync(Get, "/clusters/ngc/updates?nodegroupName=ng1")).Body!["updateIds"]!.AsArray().Select(i => (string)i!));

        Assert.Equal(HttpStatusCode.OK, (await sim.EksAsync(Post, "/clusters/ngc/updates", new { version = "1.34" })).Status);
    }

    [Fact]
    public async Task Nodegroup_config_update_applies_scaling_labels_and_taints()
    {
        await using var sim = await TestSim.StartAsync();
        await sim.CreateActiveClusterAsync("cfgng");
        await sim.CreateActiveNodegroupAsync("cfgng", "ng");

        var invalid = await sim.EksAsync(Post, "/clusters/cfgng/node-groups/ng/update-config", new { scalingConfig = new { desiredSize = 9 } });
        Assert.Equal("InvalidParameterException", invalid.ErrorType);
        var reserved = await sim.EksAsync(Post, "/clusters/cfgng/node-groups/ng/update-config", new { labels = new { addOrUpdateLabels = new Dictionary<string, string> { ["kubernetes.io/x"] = "y" } } });
        Assert.Equal("Label cannot contain reserved prefixes [kubernetes.io/, k8s.io/, eks.amazonaws.com/]", reserved.Message);

        var update = await sim.EksAsync(Post, "/clusters/cfgng/node-groups/ng/update-config", new
        {
            scalingConfig = new { desiredSize = 4 },
            labels = new { addOrUpdateLabels = new Dictionary<string, string> { ["team"] = "a" } },
            taints = new { addOrUpdateTaints = new[] { new { key = "dedicated", value = "gpu", effect = "NO_SCHEDULE" } } },
        });
        Assert.Equal("ConfigUpdate", (string?)update.Body!["update"]!["type"]);
        sim.Time.Advance(TimeSpan.FromMinutes(1));
        var ng = (await sim.EksAsync(Get, "/clusters/cfgng/node-groups/ng")).Body!["nodegroup"]!;
        Assert.Equal(4, (int)ng["scalingConfig"]!["desiredSize"]!);
        Assert.Equal("a", (string?)ng["labels"]!["team"]);
        Assert.Equal("NO_SCHEDULE", (string?)ng["taints"]![0]!["effect"]);
    }

    [Fact]
    public async Task Fargate_profiles_are_created_and_deleted_one_at_a_time_on_private_subnets_only()
    {
        await using var sim = await TestSim.StartAsync();
        await sim.CreateActiveClusterAsync("fg");
        object Profile(string name, IEnumerable<string>? subnets = null) => new
        {
            fargateProfileName = name,
            podExecutionRoleArn = sim.FargateRoleArn,
            subnets = subnets ?? sim.Network.PrivateSubnetIds,
            selectors = new[] { new { @namespace = "default" } },
        };

        var publicSubnet = await sim.EksAsync(Post, "/clusters/fg/fargate-profiles", Profile("p0", sim.Network.PublicSubnetIds));
        Assert.Equal($"Subnet {sim.Network.PublicSubnetIds[0]} provided in Fargate Profile is not a private subnet", publicSubnet.Message);

        var p1 = await sim.EksAsync(Post, "/clusters/fg/fargate-profiles", Profile("p1"));
        Assert.Equal("CREATING", (string?)p1.Body!["fargateProfile"]!["status"]);
        var p2 = await sim.EksAsync(Post, "/clusters/fg/fargate-profiles", Profile("p2"));
        Assert.Equal(HttpStatusCode.Conflict, p2.Status);
        Assert.Equal("Cannot create Fargate Profile p2 because cluster fg currently has Fargate profile p1 in status CREATING", p2.Message);

        sim.Time.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal(HttpStatusCode.OK, (await sim.EksAsync(Post, "/clusters/fg/fargate-profiles", Profile("p2"))).Status);
        var dup = await sim.EksAsync(Post, "/clusters/fg/fargate-profiles", Profile("p2"));
        Assert.Equal("A Fargate Profile already exists with this name in this cluster.", dup.Message);
        sim.Time.Advance(TimeSpan.FromMinutes(3));

        Assert.Equal("DELETING", (string?)(await sim.EksAsync(Delete, "/clusters/fg/fargate-profiles/p1")).Body!["fargateProfile"]!["status"]);
        var deleteP2 = await sim.EksAsync(Delete, "/clusters/fg/fargate-profiles/p2");
        Assert.Equal("Cannot delete Fargate Profile p2 because cluster fg currently has Fargate profile p1 in status DELETING", deleteP2.Message);

        var clusterDelete = await sim.EksAsync(Delete, "/clusters/fg");
        Assert.Equal("ResourceInUseException", clusterDelete.ErrorType);

        sim.Time.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal(HttpStatusCode.NotFound, (await sim.EksAsync(Get, "/clusters/fg/fargate-profiles/p1")).Status);
        Assert.Equal(["p2"], (await sim.EksAsync(Get, "/clusters/fg/fargate-profiles")).Body!["fargateProfileNames"]!.AsArray().Select(n => (string)n!));
    }

    [Fact]
    public async Task Cluster_delete_is_refused_while_nodegroups_exist_then_goes_DELETING_and_404()
    {
        await using var sim = await TestSim.StartAsync();
        await sim.CreateActiveClusterAsync("del");
        await sim.CreateActiveNodegroupAsync("del", "ng");

        var refused = await sim.EksAsync(Delete, "/clusters/del");
        Assert.Equal(HttpStatusCode.Conflict, refused.Status);
        Assert.Equal("Cluster has nodegroups attached", refused.Message);
        Assert.Equal("ng", (string?)refused.Body!["nodegroupName"]);

        Assert.Equal("DELETING", (string?)(await sim.EksAsync(Delete, "/clusters/del/node-groups/ng")).Body!["nodegroup"]!["status"]);
        sim.Time.Advance(TimeSpan.FromMinutes(3));
        var gone = await sim.EksAsync(Get, "/clusters/del/node-groups/ng");
        Assert.Equal(HttpStatusCode.NotFound, gone.Status);
        Assert.Equal("ResourceNotFoundException", gone.ErrorType);

        Assert.Equal("DELETING", (string?)(await sim.EksAsync(Delete, "/clusters/del")).Body!["cluster"]!["status"]);
        sim.Time.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal("DELETING", (string?)(await sim.EksAsync(Get, "/clusters/del")).Body!["cluster"]!["status"]);
        sim.Time.Advance(TimeSpan.FromMinutes(1));
        var deleted = await sim.EksAsync(Get, "/clusters/del");
        Assert.Equal(HttpStatusCode.NotFound, deleted.Status);
        Assert.Equal("No cluster found for name: del.", deleted.Message);
    }

    [Fact]
    public async Task A_new_IAM_role_cannot_be_assumed_by_EKS_until_it_has_propagated()
    {
        await using var sim = await TestSim.StartAsync();
        var created = await sim.QueryAsync("CreateRole", ("RoleName", "fresh"), ("AssumeRolePolicyDocument", TestSim.ClusterTrust));
        Assert.Equal(HttpStatusCode.OK, created.Status);
        var arn = created.All("Arn").Single().Value;
        object Request() => new { name = "iamc", roleArn = arn, resourcesVpcConfig = new { subnetIds = sim.Network.PrivateSubnetIds } };

        var early = await sim.EksAsync(Post, "/clusters", Request());
        Assert.Equal("InvalidParameterException", early.ErrorType);
        Assert.Equal($"Role with arn: {arn}, could not be assumed because it does not exist or the trusted entity is not correct", early.Message);

        sim.Time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.OK, (await sim.EksAsync(Post, "/clusters", Request())).Status);

        var wrongTrust = await sim.EksAsync(Post, "/clusters", new { name = "iamc2", roleArn = sim.NodeRoleArn, resourcesVpcConfig = new { subnetIds = sim.Network.PrivateSubnetIds } });
        Assert.Equal("InvalidParameterException", wrongTrust.ErrorType);
    }

    [Fact]
    public async Task Tags_on_cluster_and_nodegroup_ARNs_round_trip()
    {
        await using var sim = await TestSim.StartAsync();
        var cluster = await sim.CreateActiveClusterAsync("tagged");
        var arn = Uri.EscapeDataString((string)cluster["arn"]!);

        Assert.Equal(HttpStatusCode.OK, (await sim.EksAsync(Post, $"/tags/{arn}", new { tags = new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" } })).Status);
        Assert.Equal(HttpStatusCode.OK, (await sim.EksAsync(Delete, $"/tags/{arn}?tagKeys=b&tagKeys=owner")).Status);
        var tags = (await sim.EksAsync(Get, $"/tags/{arn}")).Body!["tags"]!.AsObject();
        Assert.Equal(["a"], tags.Select(t => t.Key));

        var reserved = await sim.EksAsync(Post, $"/tags/{arn}", new { tags = new Dictionary<string, string> { ["aws:x"] = "1" } });
        Assert.Equal("BadRequestException", reserved.ErrorType);

        var unknown = await sim.EksAsync(Get, $"/tags/{Uri.EscapeDataString("arn:aws:eks:us-west-2:123456789012:cluster/nope")}");
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Equal("NotFoundException", unknown.ErrorType);
        var malformed = await sim.EksAsync(Get, "/tags/not-an-arn");
        Assert.Equal("BadRequestException", malformed.ErrorType);
    }

    [Fact]
    public async Task ListClusters_pages_with_maxResults_and_nextToken()
    {
        await using var sim = await TestSim.StartAsync();
        foreach (var name in new[] { "a", "b", "c" })
        {
            await sim.EksAsync(Post, "/clusters", sim.ClusterRequest(name));
        }

        var first = (await sim.EksAsync(Get, "/clusters?maxResults=2")).Body!;
        Assert.Equal(["a", "b"], first["clusters"]!.AsArray().Select(n => (string)n!));
        var token = Uri.EscapeDataString((string)first["nextToken"]!);
        var second = (await sim.EksAsync(Get, $"/clusters?maxResults=2&nextToken={token}")).Body!;
        Assert.Equal(["c"], second["clusters"]!.AsArray().Select(n => (string)n!));
        Assert.Null(second["nextToken"]);
        Assert.Equal("InvalidParameterException", (await sim.EksAsync(Get, "/clusters?maxResults=0")).ErrorType);
    }

    [Fact]
    public async Task Unknown_cluster_is_ResourceNotFoundException_for_every_child_call()
    {
        await using var sim = await TestSim.StartAsync();
        foreach (var path in new[] { "/clusters/none", "/clusters/none/node-groups", "/clusters/none/fargate-profiles", "/clusters/none/updates" })
        {
            var reply = await sim.EksAsync(Get, path);
            Assert.Equal(HttpStatusCode.NotFound, reply.Status);
            Assert.Equal("ResourceNotFoundException", reply.ErrorType);
        }
    }

    [Fact]
    public async Task Calls_are_counted_and_logged_per_operation()
    {
        await using var sim = await TestSim.StartAsync();
        await sim.EksAsync(Post, "/clusters", sim.ClusterRequest("counted"));
        await sim.EksAsync(Get, "/clusters/counted");
        await sim.EksAsync(Get, "/clusters/counted");
        await sim.EksAsync(Get, "/clusters/missing");

        Assert.Equal(1, sim.Simulator.Calls.Count("eks:CreateCluster"));
        Assert.Equal(3, sim.Simulator.Calls.Count("eks:DescribeCluster"));
        var log = sim.Simulator.Calls.Entries();
        Assert.Equal([200, 200, 200, 404], log.Select(e => e.StatusCode));
        Assert.Equal("counted", log[0].Resource);
        var perSecond = Assert.Single(sim.Simulator.Calls.PerSecond(), r => r.Operation == "eks:DescribeCluster");
        Assert.Equal(3, perSecond.Calls);
        Assert.Equal(1, perSecond.Errors);

        sim.Simulator.Calls.Reset();
        Assert.Equal(0, sim.Simulator.Calls.Total);
    }

    [Fact]
    public async Task Faults_inject_throttling_server_errors_and_rate_limits()
    {
        await using var sim = await TestSim.StartAsync();
        sim.Simulator.Faults.ThrottleRate = 1;
        var throttled = await sim.EksAsync(Get, "/clusters");
        Assert.Equal((HttpStatusCode)429, throttled.Status);
        Assert.Equal("ThrottlingException", throttled.ErrorType);

        sim.Simulator.Faults.ThrottleRate = 0;
        sim.Simulator.Faults.ServerErrorRate = 1;
        Assert.Equal(HttpStatusCode.InternalServerError, (await sim.EksAsync(Get, "/clusters")).Status);
        var ec2 = await sim.QueryAsync("DescribeVpcs");
        Assert.Equal("InternalError", ec2.ErrorCode);

        sim.Simulator.Faults.Reset();
        sim.Simulator.Faults.Operations = ["eks:DescribeCluster"];
        sim.Simulator.Faults.ServerErrorRate = 1;
        Assert.Equal(HttpStatusCode.OK, (await sim.EksAsync(Get, "/clusters")).Status);
        Assert.Equal("ServerException", (await sim.EksAsync(Get, "/clusters/any")).ErrorType);

        sim.Simulator.Faults.Reset();
        sim.Simulator.Faults.ReadLimit = new AwsRateLimit(2, 1);
        sim.Simulator.Faults.EnforceRateLimits = true;
        Assert.Equal(HttpStatusCode.OK, (await sim.EksAsync(Get, "/clusters")).Status);
        Assert.Equal(HttpStatusCode.OK, (await sim.EksAsync(Get, "/clusters")).Status);
        Assert.Equal((HttpStatusCode)429, (await sim.EksAsync(Get, "/clusters")).Status);
        sim.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await sim.EksAsync(Get, "/clusters")).Status);

        sim.Simulator.Faults.Reset();
        sim.Simulator.Faults.DropConnectionRate = 1;
        await Assert.ThrowsAsync<HttpRequestException>(() => sim.EksAsync(Get, "/clusters"));
        Assert.Equal(0, sim.Simulator.Calls.Entries()[^1].StatusCode);
    }

    [Fact]
    public async Task A_lost_response_leaves_the_change_made_and_the_answering_hook_sees_it_before_the_caller()
    {
        await using var sim = await TestSim.StartAsync();
        var seen = new List<AwsCall>();
        sim.Simulator.Calls.Answering += call => { lock (seen) seen.Add(call); };
        sim.Simulator.Faults.LoseResponseRate = 1;
        sim.Simulator.Faults.Operations = ["eks:CreateCluster"];
        await Assert.ThrowsAsync<HttpRequestException>(() => sim.EksAsync(Post, "/clusters", sim.ClusterRequest("ghost")));

        sim.Simulator.Faults.Reset();
        Assert.Equal(HttpStatusCode.OK, (await sim.EksAsync(Get, "/clusters/ghost")).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await sim.EksAsync(Post, "/clusters", sim.ClusterRequest("ghost"))).Status);
        lock (seen) Assert.Equal(["CreateCluster", "DescribeCluster", "CreateCluster"], seen.Select(c => c.Operation));
    }

    [Fact]
    public async Task The_cluster_quota_refuses_one_cluster_too_many_with_ResourceLimitExceeded()
    {
        await using var sim = await TestSim.StartAsync(o => o with { ClusterQuota = 2 });
        Assert.Equal(HttpStatusCode.OK, (await sim.EksAsync(Post, "/clusters", sim.ClusterRequest("q1"))).Status);
        Assert.Equal(HttpStatusCode.OK, (await sim.EksAsync(Post, "/clusters", sim.ClusterRequest("q2"))).Status);
        var refused = await sim.EksAsync(Post, "/clusters", sim.ClusterRequest("q3"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Equal("ResourceLimitExceededException", refused.ErrorType);
        Assert.Contains(": 2", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Seeded_fault_dice_repeat_the_same_sequence()
    {
        await using var sim = await TestSim.StartAsync();
        async Task<string> Pattern()
        {
            sim.Simulator.Faults.UseSeed(42);
            sim.Simulator.Faults.ThrottleRate = 0.5;
            var statuses = new List<int>();
            for (var i = 0; i < 20; i++) statuses.Add((int)(await sim.EksAsync(Get, "/clusters")).Status);
            return string.Join(",", statuses);
        }

        var first = await Pattern();
        Assert.Contains("429", first, StringComparison.Ordinal);
        Assert.Contains("200", first, StringComparison.Ordinal);
        Assert.Equal(first, await Pattern());
    }

    [Fact]
    public async Task Control_endpoints_seed_set_faults_and_report_calls()
    {
        await using var sim = await TestSim.StartAsync();
        using var seed = new StringContent("""{"vpcs":[{"cidrBlock":"10.1.0.0/16","name":"extra"}],"subnets":[{"vpc":"extra","cidrBlock":"10.1.1.0/24","availabilityZone":"us-west-2b","private":true}]}""",
            System.Text.Encoding.UTF8, "application/json");
        var seeded = JsonNode.Parse(await (await sim.Http.PostAsync("_sim/seed", seed)).Content.ReadAsStringAsync())!;
        var subnetId = (string)seeded["subnetIds"]![0]!;
        var described = await sim.QueryAsync("DescribeSubnets", ("SubnetId.1", subnetId));
        Assert.Equal((string)seeded["vpcIds"]![0]!, described.All("vpcId").Single().Value);

        using var faults = new StringContent("""{"throttleRate":1}""", System.Text.Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.OK, (await sim.Http.PutAsync("_sim/faults", faults)).StatusCode);
        Assert.Equal(1, sim.Simulator.Faults.ThrottleRate);
        Assert.Equal("RequestLimitExceeded", (await sim.QueryAsync("DescribeVpcs")).ErrorCode);
        Assert.Equal(HttpStatusCode.OK, (await sim.Http.PostAsync("_sim/faults/reset", null)).StatusCode);

        var calls = JsonNode.Parse(await sim.Http.GetStringAsync("_sim/calls"))!;
        Assert.Equal(2, (long)calls["counters"]!["ec2:DescribeSubnets"]! + (long)calls["counters"]!["ec2:DescribeVpcs"]!);
        var perSecond = JsonNode.Parse(await sim.Http.GetStringAsync("_sim/calls/per-second"))!.AsArray();
        Assert.NotEmpty(perSecond);
        var network = JsonNode.Parse(await sim.Http.GetStringAsync("_sim/network"))!;
        Assert.Equal(sim.Network.VpcId, (string?)network["vpcId"]);
    }
}
