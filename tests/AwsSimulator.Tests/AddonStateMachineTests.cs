using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace EksOperator.Simulators.Aws.Tests;

/// <summary>Add-on lifecycles and rules (reference §1), on a FakeTimeProvider; clusters are 1.33 unless a test says otherwise.</summary>
public sealed partial class AddonStateMachineTests
{
    private static readonly HttpMethod Get = HttpMethod.Get;
    private static readonly HttpMethod Post = HttpMethod.Post;
    private static readonly HttpMethod Delete = HttpMethod.Delete;

    [Fact]
    public async Task Addon_is_CREATING_for_the_create_duration_then_ACTIVE_with_the_minors_default_version()
    {
        await using var sim = await TestSim.StartAsync();
        await sim.CreateActiveClusterAsync("a1");
        var created = await sim.EksAsync(Post, "/clusters/a1/addons", new { addonName = "coredns" });
        Assert.Equal(HttpStatusCode.OK, created.Status);
        var addon = created.Body!["addon"]!.AsObject();
        Assert.Equal("CREATING", (string?)addon["status"]);
        Assert.Equal("v1.12.3-eksbuild.1", (string?)addon["addonVersion"]);
        Assert.Matches(AddonArn(), (string)addon["addonArn"]!);
        Assert.Equal("a1", (string?)addon["clusterName"]);
        Assert.Equal("{}", addon["tags"]!.ToJsonString());
        Assert.Equal("[]", addon["podIdentityAssociations"]!.ToJsonString());
        Assert.Equal("""{"issues":[]}""", addon["health"]!.ToJsonString());
        Assert.False(addon.ContainsKey("configurationValues"));
        Assert.Equal(sim.Time.GetUtcNow().ToUnixTimeSeconds(), (long)addon["createdAt"]!.GetValue<double>());

        sim.Time.Advance(TimeSpan.FromSeconds(44));
        Assert.Equal("CREATING", await StatusAsync(sim, "a1", "coredns"));
        sim.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("ACTIVE", await StatusAsync(sim, "a1", "coredns"));
    }

    [Fact]
    public async Task Addon_errors_carry_the_codes_messages_and_the_addon_and_cluster_names()
    {
        await using var sim = await TestSim.StartAsync();
        await sim.CreateActiveClusterAsync("a1");

        var missing = await sim.EksAsync(Get, "/clusters/a1/addons/coredns");
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        Assert.Equal("ResourceNotFoundException", missing.ErrorType);
        Assert.Equal("No addon: coredns found in cluster: a1", missing.Message);
        Assert.Equal("coredns", (string?)missing.Body!["addonName"]);
        Assert.Equal("a1", (string?)missing.Body!["clusterName"]);

        Assert.Equal(HttpStatusCode.OK, (await sim.EksAsync(Post, "/clusters/a1/addons", new { addonName = "coredns" })).Status);
        var duplicate = await sim.EksAsync(Post, "/clusters/a1/addons", new { addonName = "coredns" });
        Assert.Equal(HttpStatusCode.Conflict, duplicate.Status);
        Assert.Equal("ResourceInUseException", duplicate.ErrorType);
        Assert.Equal("Addon already exists.", duplicate.Message);
        Assert.Equal("coredns", (string?)duplicate.Body!["addonName"]);

        // kube-proxy binds to one minor: 1.34's build does not install on a 1.33 cluster.
        var otherMinor = await sim.EksAsync(Post, "/clusters/a1/addons", new { addonName = "kube-proxy", addonVersion = "v1.34.8-eksbuild.2" });
        Assert.Equal(HttpStatusCode.BadRequest, otherMinor.Status);
        Assert.Equal("InvalidParameterException", otherMinor.ErrorType);
        Assert.Equal("Addon version specified is not supported", otherMinor.Message);
        Assert.Equal("kube-proxy", (string?)otherMinor.Body!["addonName"]);

        var unknown = await sim.EksAsync(Post, "/clusters/a1/addons", new { addonName = "kubecost_kubecost" });
        Assert.Equal("Addon kubecost_kubecost specified is not supported in 1.33 kubernetes version", unknown.Message);

        var conflicts = await sim.EksAsync(Post, "/clusters/a1/addons", new { addonName = "vpc-cni", resolveConflicts = "MERGE" });
        Assert.Equal("InvalidParameterException", conflicts.ErrorType);
        Assert.Contains("[OVERWRITE, NONE, PRESERVE]", conflicts.Message, StringComparison.Ordinal);

        var noCluster = await sim.EksAsync(Post, "/clusters/zz/addons", new { addonName = "coredns" });
        Assert.Equal("No cluster found for name: zz.", noCluster.Message);

        await sim.EksAsync(Post, "/clusters", sim.ClusterRequest("young"));
        var creating = await sim.EksAsync(Post, "/clusters/young/addons", new { addonName = "coredns" });
        Assert.Equal("InvalidRequestException", creating.ErrorType);
    }

    [Fact]
    public async Task PRESERVE_on_create_is_accepted_unless_the_simulator_is_told_to_refuse_it_as_EKS_did_in_2022()
    {
        await using var lenient = await TestSim.StartAsync();
        await lenient.CreateActiveClusterAsync("a1");
        Assert.Equal(HttpStatusCode.OK, (await lenient.EksAsync(Post, "/clusters/a1/addons", new { addonName = "coredns", resolveConflicts = "PRESERVE" })).Status);

        await using var strict = await TestSim.StartAsync(o => o with { RejectPreserveOnCreateAddon = true });
        await strict.CreateActiveClusterAsync("a1");
        var refused = await strict.EksAsync(Post, "/clusters/a1/addons", new { addonName = "coredns", resolveConflicts = "PRESERVE" });
        Assert.Equal("Resolve conflicts option PRESERVE is not supported for operation CreateAddon", refused.Message);
    }

    [Theory]
    [InlineData("vpc-cni", """{"env":{"POD_SECURITY_GROUP_ENFORCING_MODE":"standard"}}""",
        "[$.env.POD_SECURITY_GROUP_ENFORCING_MODE: is not defined in the schema and the schema does not allow additional properties]")]
    [InlineData("coredns", """{"replicaCount":"three"}""", "[$.replicaCount: string found, integer expected]")]
    [InlineData("coredns", """{"replicaCount":0}""", "[$.replicaCount: must have a minimum value of 1]")]
    [InlineData("kube-proxy", """{"mode":"userspace"}""", "[$.mode: does not have a value in the enumeration [iptables, ipvs]]")]
    [InlineData("coredns", "replicaCount: 2\nresources:\n  limit:\n    memory: 170Mi\n",
        "[$.resources.limit: is not defined in the schema and the schema does not allow additional properties]")]
    [InlineData("coredns", """{"replicaCount":1.5,"extra":true}""",
        "[$.replicaCount: number found, integer expected, $.extra: is not defined in the schema and the schema does not allow additional properties]")]
    [InlineData("coredns", "[1, 2]", "[$: array found, object expected]")]
    public async Task Configuration_values_outside_the_schema_are_refused_with_the_validators_path(string addon, string values, string problems)
    {
        await using var sim = await TestSim.StartAsync();
        await sim.CreateActiveClusterAsync("a1");
        var refused = await sim.EksAsync(Post, "/clusters/a1/addons", new { addonName = addon, configurationValues = values });
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Equal("InvalidParameterException", refused.ErrorType);
        Assert.Equal("ConfigurationValue provided in request is not supported " + problems, refused.Message);
        Assert.Equal(addon, (string?)refused.Body!["addonName"]);
    }

    [Theory]
    [InlineData("""{ "replicaCount": 3, "resources": {"limits": {"memory": "170Mi"}}, "tolerations": [{"key": "x"}] }""")]
    [InlineData("replicaCount: 3\nnodeSelector:\n  role: system\ncorefile: |\n  .:53 {\n      errors\n  }\n")]
    public async Task Configuration_values_in_JSON_or_YAML_are_kept_exactly_as_sent(string values)
    {
        await using var sim = await TestSim.StartAsync();
        await sim.CreateActiveClusterAsync("a1");
        var created = await sim.EksAsync(Post, "/clusters/a1/addons", new { addonName = "coredns", configurationValues = values });
        Assert.Equal(HttpStatusCode.OK, created.Status);
        Assert.Equal(values, (string?)created.Body!["addon"]!["configurationValues"]);
        Assert.Equal(values, (string?)(await sim.EksAsync(Get, "/clusters/a1/addons/coredns")).Body!["addon"]!["configurationValues"]);
    }

    [Fact]
    public async Task UpdateAddon_is_an_AddonUpdate_with_only_the_supplied_params_found_only_under_its_addonName()
    {
        await using var sim = await TestSim.StartAsync();
        await sim.CreateActiveClusterAsync("a1");
        await sim.EksAsync(Post, "/clusters/a1/addons", new { addonName = "coredns" });

        var whileCreating = await sim.EksAsync(Post, "/clusters/a1/addons/coredns/update", new { configurationValues = "{}" });
        Assert.Equal(HttpStatusCode.Conflict, whileCreating.Status);
        Assert.Equal("ResourceInUseException", whileCreating.ErrorType);
        Assert.Equal("coredns", (string?)whileCreating.Body!["addonName"]);

        sim.Time.Advance(TimeSpan.FromSeconds(45));
        var started = await sim.EksAsync(Post, "/clusters/a1/addons/coredns/update",
            new { addonVersion = "v1.12.3-eksbuild.2", configurationValues = """{"replicaCount":3}""" });
        Assert.Equal(HttpStatusCode.OK, started.Status);
        var update = started.Body!["update"]!;
        Assert.Equal("AddonUpdate", (string?)update["type"]);
        Assert.Equal("InProgress", (string?)update["status"]);
        Assert.Equal([("AddonVersion", "v1.12.3-eksbuild.2"), ("ConfigurationValues", """{"replicaCount":3}""")], Params(update));
        Assert.Equal("[]", update["errors"]!.ToJsonString());
        var id = (string)update["id"]!;

        var updating = (await sim.EksAsync(Get, "/clusters/a1/addons/coredns")).Body!["addon"]!;
        Assert.Equal("UPDATING", (string?)updating["status"]);
        Assert.Equal("v1.12.3-eksbuild.1", (string?)updating["addonVersion"]);
        Assert.Equal(HttpStatusCode.Conflict, (await sim.EksAsync(Post, "/clusters/a1/addons/coredns/update", new { resolveConflicts = "OVERWRITE" })).Status);

        var unscoped = await sim.EksAsync(Get, $"/clusters/a1/updates/{id}");
        Assert.Equal(HttpStatusCode.NotFound, unscoped.Status);
        Assert.Equal("ResourceNotFoundException", unscoped.ErrorType);
        Assert.Equal("InProgress", (string?)(await sim.EksAsync(Get, $"/clusters/a1/updates/{id}?addonName=coredns")).Body!["update"]!["status"]);
        Assert.Equal($"""["{id}"]""", (await sim.EksAsync(Get, "/clusters/a1/updates?addonName=coredns")).Body!["updateIds"]!.ToJsonString());
        Assert.Equal("[]", (await sim.EksAsync(Get, "/clusters/a1/updates")).Body!["updateIds"]!.ToJsonString());

        // An add-on update is not a cluster update: the cluster stays ACTIVE and can still be updated.
        sim.Time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal("ACTIVE", (string?)(await sim.EksAsync(Get, "/clusters/a1")).Body!["cluster"]!["status"]);

        sim.Time.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal("Successful", (string?)(await sim.EksAsync(Get, $"/clusters/a1/updates/{id}?addonName=coredns")).Body!["update"]!["status"]);
        var updated = (await sim.EksAsync(Get, "/clusters/a1/addons/coredns")).Body!["addon"]!;
        Assert.Equal("ACTIVE", (string?)updated["status"]);
        Assert.Equal("v1.12.3-eksbuild.2", (string?)updated["addonVersion"]);
        Assert.Equal("""{"replicaCount":3}""", (string?)updated["configurationValues"]);
        Assert.Equal(sim.Time.GetUtcNow().ToUnixTimeSeconds(), (long)updated["modifiedAt"]!.GetValue<double>());

        // '{}' resets to the defaults and is what DescribeAddon then shows; an omitted version keeps the current one.
        var reset = (await sim.EksAsync(Post, "/clusters/a1/addons/coredns/update", new { configurationValues = "{}", resolveConflicts = "OVERWRITE" })).Body!["update"]!;
        Assert.Equal([("ResolveConflicts", "OVERWRITE"), ("ConfigurationValues", "{}")], Params(reset));
        sim.Time.Advance(TimeSpan.FromSeconds(30));
        var after = (await sim.EksAsync(Get, "/clusters/a1/addons/coredns")).Body!["addon"]!;
        Assert.Equal("{}", (string?)after["configurationValues"]);
        Assert.Equal("v1.12.3-eksbuild.2", (string?)after["addonVersion"]);

        var wrongMinor = await sim.EksAsync(Post, "/clusters/a1/addons/coredns/update", new { addonVersion = "v1.11.3-eksbuild.1" });
        Assert.Equal("Addon version specified is not supported", wrongMinor.Message);
    }

    [Fact]
    public async Task DeleteAddon_goes_DELETING_then_404_and_preserve_must_be_a_boolean()
    {
        await using var sim = await TestSim.StartAsync();
        await sim.CreateActiveClusterAsync("a1");
        await sim.EksAsync(Post, "/clusters/a1/addons", new { addonName = "vpc-cni" });
        sim.Time.Advance(TimeSpan.FromSeconds(45));

        Assert.Equal("InvalidParameterException", (await sim.EksAsync(Delete, "/clusters/a1/addons/vpc-cni?preserve=maybe")).ErrorType);
        var deleting = await sim.EksAsync(Delete, "/clusters/a1/addons/vpc-cni?preserve=true");
        Assert.Equal(HttpStatusCode.OK, deleting.Status);
        Assert.Equal("DELETING", (string?)deleting.Body!["addon"]!["status"]);
        var state = JsonNode.Parse(await sim.Http.GetStringAsync("_sim/state"))!;
        Assert.True(state["clusters"]![0]!["addons"]![0]!["preserve"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.Conflict, (await sim.EksAsync(Post, "/clusters/a1/addons/vpc-cni/update", new { resolveConflicts = "NONE" })).Status);

        sim.Time.Advance(TimeSpan.FromSeconds(19));
        Assert.Equal("DELETING", await StatusAsync(sim, "a1", "vpc-cni"));
        sim.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.NotFound, (await sim.EksAsync(Get, "/clusters/a1/addons/vpc-cni")).Status);
        Assert.Equal("""{"addons":[]}""", (await sim.EksAsync(Get, "/clusters/a1/addons")).Body!.ToJsonString());
    }

    [Fact]
    public async Task A_cluster_with_addons_can_be_deleted_and_its_addons_go_with_it()
    {
        await using var sim = await TestSim.StartAsync();
        await sim.CreateActiveClusterAsync("a1");
        await sim.EksAsync(Post, "/clusters/a1/addons", new { addonName = "kube-proxy" });
        sim.Time.Advance(TimeSpan.FromSeconds(45));

        Assert.Equal(HttpStatusCode.OK, (await sim.EksAsync(Delete, "/clusters/a1")).Status);
        Assert.Equal("DELETING", await StatusAsync(sim, "a1", "kube-proxy"));
        sim.Time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(HttpStatusCode.NotFound, (await sim.EksAsync(Get, "/clusters/a1")).Status);

        // A cluster of the same name starts without them.
        await sim.CreateActiveClusterAsync("a1");
        Assert.Equal("[]", (await sim.EksAsync(Get, "/clusters/a1/addons")).Body!["addons"]!.ToJsonString());
    }

    [Fact]
    public async Task Pod_identity_associations_must_name_the_versions_service_accounts_and_get_association_arns()
    {
        await using var sim = await TestSim.StartAsync();
        await sim.CreateActiveClusterAsync("a1");
        const string role = "arn:aws:iam::123456789012:role/ebs-csi";
        sim.Simulator.Seed(new AwsSeed
        {
            Roles =
            [
                new AwsSeedRole { Name = "ebs-csi", AssumeRolePolicyDocument = PodIdentityTests.PodsTrust },
                new AwsSeedRole { Name = "ebs-csi-2", AssumeRolePolicyDocument = PodIdentityTests.PodsTrust },
            ],
        });

        var wrongAccount = await sim.EksAsync(Post, "/clusters/a1/addons",
            new { addonName = "aws-ebs-csi-driver", podIdentityAssociations = new[] { new { serviceAccount = "ebs-csi-node-sa", roleArn = role } } });
        Assert.Equal(HttpStatusCode.BadRequest, wrongAccount.Status);
        Assert.Equal("Service account ebs-csi-node-sa in pod identity configuration is not supported for addon aws-ebs-csi-driver", wrongAccount.Message);

        var noFeature = await sim.EksAsync(Post, "/clusters/a1/addons",
            new { addonName = "coredns", podIdentityAssociations = new[] { new { serviceAccount = "coredns", roleArn = role } } });
        Assert.Equal("Pod Identity feature is not supported for addon version: v1.12.3-eksbuild.1", noFeature.Message);

        var created = await sim.EksAsync(Post, "/clusters/a1/addons",
            new { addonName = "aws-ebs-csi-driver", podIdentityAssociations = new[] { new { serviceAccount = "ebs-csi-controller-sa", roleArn = role } } });
        var arn = (string)Assert.Single(created.Body!["addon"]!["podIdentityAssociations"]!.AsArray())!;
        Assert.Matches(AssociationArn(), arn);

        sim.Time.Advance(TimeSpan.FromSeconds(45));
        var update = (await sim.EksAsync(Post, "/clusters/a1/addons/aws-ebs-csi-driver/update",
            new { podIdentityAssociations = new[] { new { serviceAccount = "ebs-csi-controller-sa", roleArn = role + "-2" } } })).Body!["update"]!;
        Assert.Equal("PodIdentityAssociations", (string?)update["params"]![0]!["type"]);
        Assert.Equal(role + "-2", (string?)JsonNode.Parse((string)update["params"]![0]!["value"]!)![0]!["roleArn"]);
        sim.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(arn, (string?)(await sim.EksAsync(Get, "/clusters/a1/addons/aws-ebs-csi-driver")).Body!["addon"]!["podIdentityAssociations"]![0]);

        await sim.EksAsync(Post, "/clusters/a1/addons/aws-ebs-csi-driver/update", new { podIdentityAssociations = Array.Empty<object>() });
        sim.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal("[]", (await sim.EksAsync(Get, "/clusters/a1/addons/aws-ebs-csi-driver")).Body!["addon"]!["podIdentityAssociations"]!.ToJsonString());
    }

    [Fact]
    public async Task Addon_tags_are_returned_and_the_tag_api_works_on_the_addon_arn()
    {
        await using var sim = await TestSim.StartAsync();
        await sim.CreateActiveClusterAsync("a1");
        var created = (await sim.EksAsync(Post, "/clusters/a1/addons", new { addonName = "coredns", tags = new { team = "dns" } })).Body!["addon"]!;
        Assert.Equal("""{"team":"dns"}""", created["tags"]!.ToJsonString());
        var arn = Uri.EscapeDataString((string)created["addonArn"]!);

        Assert.Equal(HttpStatusCode.OK, (await sim.EksAsync(Post, $"/tags/{arn}", new { tags = new { env = "test" } })).Status);
        Assert.Equal("""{"team":"dns","env":"test"}""", (await sim.EksAsync(Get, $"/tags/{arn}")).Body!["tags"]!.ToJsonString());
        Assert.Equal("test", (string?)(await sim.EksAsync(Get, "/clusters/a1/addons/coredns")).Body!["addon"]!["tags"]!["env"]);
    }

    [Fact]
    public async Task ListAddons_pages_with_maxResults_and_nextToken()
    {
        await using var sim = await TestSim.StartAsync();
        await sim.CreateActiveClusterAsync("a1");
        foreach (var name in new[] { "vpc-cni", "coredns", "kube-proxy" })
        {
            await sim.EksAsync(Post, "/clusters/a1/addons", new { addonName = name });
        }

        var first = (await sim.EksAsync(Get, "/clusters/a1/addons?maxResults=2")).Body!;
        Assert.Equal("""["coredns","kube-proxy"]""", first["addons"]!.ToJsonString());
        var next = Uri.EscapeDataString((string)first["nextToken"]!);
        var second = (await sim.EksAsync(Get, $"/clusters/a1/addons?maxResults=2&nextToken={next}")).Body!.AsObject();
        Assert.Equal("""["vpc-cni"]""", second["addons"]!.ToJsonString());
        Assert.False(second.ContainsKey("nextToken"));
    }

    [Fact]
    public async Task The_control_api_sets_an_addon_DEGRADED_with_a_health_issue_and_clears_it()
    {
        await using var sim = await TestSim.StartAsync();
        await sim.CreateActiveClusterAsync("a1");
        await sim.EksAsync(Post, "/clusters/a1/addons", new { addonName = "coredns" });
        sim.Time.Advance(TimeSpan.FromSeconds(45));

        using var degrade = new StringContent("""
            {"clusterName":"a1","addonName":"coredns","issues":[{"code":"InsufficientNumberOfReplicas",
             "message":"The add-on is unhealthy because it doesn't have the desired number of replicas.","resourceIds":["coredns"]}]}
            """, System.Text.Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.OK, (await sim.Http.PutAsync("_sim/addons/health", degrade)).StatusCode);
        var degraded = (await sim.EksAsync(Get, "/clusters/a1/addons/coredns")).Body!["addon"]!;
        Assert.Equal("DEGRADED", (string?)degraded["status"]);
        Assert.Equal("InsufficientNumberOfReplicas", (string?)degraded["health"]!["issues"]![0]!["code"]);
        Assert.Equal("coredns", (string?)degraded["health"]!["issues"]![0]!["resourceIds"]![0]);

        using var clear = new StringContent("""{"clusterName":"a1","addonName":"coredns","issues":[]}""", System.Text.Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.OK, (await sim.Http.PutAsync("_sim/addons/health", clear)).StatusCode);
        var healthy = (await sim.EksAsync(Get, "/clusters/a1/addons/coredns")).Body!["addon"]!;
        Assert.Equal("ACTIVE", (string?)healthy["status"]);
        Assert.Equal("[]", healthy["health"]!["issues"]!.ToJsonString());

        using var unknown = new StringContent("""{"clusterName":"a1","addonName":"nope","issues":[]}""", System.Text.Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.BadRequest, (await sim.Http.PutAsync("_sim/addons/health", unknown)).StatusCode);
    }

    private static List<(string Type, string Value)> Params(JsonNode update) =>
        [.. update["params"]!.AsArray().Select(p => ((string)p!["type"]!, (string)p["value"]!))];

    private static async Task<string?> StatusAsync(TestSim sim, string cluster, string addon) =>
        (string?)(await sim.EksAsync(Get, $"/clusters/{cluster}/addons/{addon}")).Body!["addon"]!["status"];

    [GeneratedRegex("^arn:aws:eks:us-west-2:123456789012:addon/a1/coredns/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
    private static partial Regex AddonArn();

    [GeneratedRegex("^arn:aws:eks:us-west-2:123456789012:podidentityassociation/a1/a-[a-z0-9]{17}$")]
    private static partial Regex AssociationArn();
}
