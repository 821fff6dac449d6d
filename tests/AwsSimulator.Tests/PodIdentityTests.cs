using System.Net;
using System.Text.Json.Nodes;
using EksOperator.Simulators.Aws.Internal;

namespace EksOperator.Simulators.Aws.Tests;

/// <summary>Pod Identity associations: identifiers, the role checks, uniqueness, updates, listing and add-on ownership (fake clock, no signatures).</summary>
public sealed class PodIdentityTests
{
    public const string PodsTrust = """{"Version":"2012-10-17","Statement":[{"Sid":"AllowEksAuthToAssumeRoleForPodIdentity","Effect":"Allow","Principal":{"Service":"pods.eks.amazonaws.com"},"Action":["sts:AssumeRole","sts:TagSession"]}]}""";
    private const string IrsaTrust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/X"},"Action":"sts:AssumeRoleWithWebIdentity"}]}""";
    private const string AppRole = "arn:aws:iam::123456789012:role/app";
    private const string OtherRole = "arn:aws:iam::123456789012:role/other";
    private const string Associations = "/clusters/c/pod-identity-associations";

    private static readonly HttpMethod Get = HttpMethod.Get;
    private static readonly HttpMethod Post = HttpMethod.Post;
    private static readonly HttpMethod Delete = HttpMethod.Delete;

    private static async Task<TestSim> StartAsync()
    {
        var sim = await TestSim.StartAsync();
        sim.Simulator.Seed(new AwsSeed
        {
            Roles =
            [
                new AwsSeedRole { Name = "app", AssumeRolePolicyDocument = PodsTrust },
                new AwsSeedRole { Name = "other", AssumeRolePolicyDocument = PodsTrust },
                new AwsSeedRole { Name = "irsa", AssumeRolePolicyDocument = IrsaTrust },
                new AwsSeedRole { Name = "fresh", AssumeRolePolicyDocument = PodsTrust, Propagated = false },
            ],

            // Pod Identity does not care about the authentication mode: the cluster keeps CONFIG_MAP.
            Clusters = [new AwsSeedCluster { Name = "c" }],
        });
        return sim;
    }

    private static JsonObject Ok(EksReply reply)
    {
        Assert.True(reply.Status == HttpStatusCode.OK, $"{reply.Status} {reply.Body?.ToJsonString()}");
        return reply.Body!.AsObject();
    }

    private static void AssertError(EksReply reply, HttpStatusCode status, string code, string message) =>
        Assert.Equal((status, code, message, "c"), (reply.Status, reply.ErrorType, reply.Message, (string?)reply.Body!["clusterName"]));

    private static async Task<JsonNode> CreateAsync(TestSim sim, string ns = "shop", string sa = "api", string role = AppRole, object? extra = null)
    {
        var body = new JsonObject { ["namespace"] = ns, ["serviceAccount"] = sa, ["roleArn"] = role };
        if (extra is not null)
        {
            foreach (var (k, v) in System.Text.Json.JsonSerializer.SerializeToNode(extra)!.AsObject())
            {
                body[k] = v?.DeepClone();
            }
        }

        return Ok(await sim.EksAsync(Post, Associations, body.ToJsonString()))["association"]!;
    }

    [Fact]
    public async Task Create_returns_the_association_with_its_id_arn_empty_tags_and_equal_timestamps()
    {
        await using var sim = await StartAsync();
        var a = await CreateAsync(sim);
        var id = (string)a["associationId"]!;
        Assert.Matches("^a-[a-z0-9]{17}$", id);
        Assert.Equal($"arn:aws:eks:us-west-2:123456789012:podidentityassociation/c/{id}", (string?)a["associationArn"]);
        Assert.Equal(("c", "shop", "api", AppRole), ((string?)a["clusterName"], (string?)a["namespace"], (string?)a["serviceAccount"], (string?)a["roleArn"]));
        Assert.Equal("{}", a["tags"]!.ToJsonString());
        Assert.Equal(sim.Time.GetUtcNow().ToUnixTimeSeconds(), (long)a["createdAt"]!.GetValue<double>());
        Assert.Equal(a["createdAt"]!.GetValue<double>(), a["modifiedAt"]!.GetValue<double>());
        Assert.False((bool)a["disableSessionTags"]!);
        Assert.False(a.AsObject().ContainsKey("ownerArn"));
        Assert.False(a.AsObject().ContainsKey("externalId"));

        Assert.Equal(a.ToJsonString(), Ok(await sim.EksAsync(Get, $"{Associations}/{id}"))["association"]!.ToJsonString());
    }

    [Fact]
    public async Task A_second_association_for_the_same_service_account_names_the_existing_one()
    {
        await using var sim = await StartAsync();
        var id = (string)(await CreateAsync(sim))["associationId"]!;
        AssertError(await sim.EksAsync(Post, Associations, new { @namespace = "shop", serviceAccount = "api", roleArn = OtherRole }),
            HttpStatusCode.Conflict, "ResourceInUseException", $"Association already exists: {id}");

        // Another service account, or the same name in another namespace, is a different association.
        await CreateAsync(sim, sa: "worker");
        await CreateAsync(sim, ns: "billing");
        Assert.Equal(3, Ok(await sim.EksAsync(Get, Associations))["associations"]!.AsArray().Count);
    }

    [Theory]
    [InlineData("arn:aws:iam::123456789012:role/missing", "Role provided in the request does not exist")]
    [InlineData("arn:aws:iam::210987654321:role/app", "Role provided in the request does not exist")]
    [InlineData("arn:aws:iam::123456789012:role/some/path/app", "Role provided in the request does not exist")]
    [InlineData("arn:aws:iam::123456789012:role/fresh", "Role provided in the request does not exist")]
    [InlineData("arn:aws:iam::123456789012:role/irsa", "Trust policy of the role provided is invalid")]
    [InlineData("arn:aws:iam::123456789012:role/cluster-role", "Trust policy of the role provided is invalid")]
    public async Task The_role_must_exist_in_this_account_and_trust_the_pods_service(string roleArn, string message)
    {
        await using var sim = await StartAsync();
        AssertError(await sim.EksAsync(Post, Associations, new { @namespace = "shop", serviceAccount = "api", roleArn }), HttpStatusCode.BadRequest, "InvalidParameterException", message);
        Assert.Empty(Ok(await sim.EksAsync(Get, Associations))["associations"]!.AsArray());
    }

    [Fact]
    public async Task A_new_role_is_usable_once_IAM_has_propagated_it()
    {
        await using var sim = await StartAsync();
        const string fresh = "arn:aws:iam::123456789012:role/fresh";
        Assert.Equal("Role provided in the request does not exist", (await sim.EksAsync(Post, Associations, new { @namespace = "shop", serviceAccount = "api", roleArn = fresh })).Message);
        sim.Time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(fresh, (string?)(await CreateAsync(sim, role: fresh))["roleArn"]);
    }

    [Fact]
    public async Task A_target_role_brings_an_external_id_and_a_session_policy_needs_session_tags_off()
    {
        await using var sim = await StartAsync();
        const string target = "arn:aws:iam::210987654321:role/cross-account";
        var a = await CreateAsync(sim, extra: new { targetRoleArn = target });
        Assert.Equal(target, (string?)a["targetRoleArn"]);
        Assert.Equal("us-west-2/123456789012/c/shop/api", (string?)a["externalId"]);

        const string policy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""";
        AssertError(await sim.EksAsync(Post, Associations, new { @namespace = "shop", serviceAccount = "w", roleArn = AppRole, policy }),
            HttpStatusCode.BadRequest, "InvalidParameterException", "disableSessionTags must be set to true when a policy is specified.");
        var restricted = await CreateAsync(sim, sa: "w", extra: new { policy, disableSessionTags = true });
        Assert.Equal((policy, true), ((string?)restricted["policy"], (bool)restricted["disableSessionTags"]!));

        AssertError(await sim.EksAsync(Post, Associations, new { @namespace = "shop", serviceAccount = "x", roleArn = AppRole, targetRoleArn = "role/oops" }),
            HttpStatusCode.BadRequest, "InvalidParameterException", "The targetRoleArn parameter format is not valid");
    }

    [Fact]
    public async Task Update_must_change_something_keeps_namespace_and_service_account_and_moves_modifiedAt()
    {
        await using var sim = await StartAsync();
        var a = await CreateAsync(sim);
        var path = $"{Associations}/{a["associationId"]}";
        AssertError(await sim.EksAsync(Post, path, new { roleArn = AppRole }), HttpStatusCode.BadRequest, "InvalidParameterException", "No changes needed for the pod identity association provided.");
        AssertError(await sim.EksAsync(Post, path, new { @namespace = "elsewhere" }), HttpStatusCode.BadRequest, "InvalidParameterException", "No changes needed for the pod identity association provided.");
        AssertError(await sim.EksAsync(Post, path, new { roleArn = "arn:aws:iam::123456789012:role/irsa" }), HttpStatusCode.BadRequest, "InvalidParameterException", "Trust policy of the role provided is invalid");

        sim.Time.Advance(TimeSpan.FromMinutes(2));
        var updated = Ok(await sim.EksAsync(Post, path, new { roleArn = OtherRole, @namespace = "elsewhere", targetRoleArn = "arn:aws:iam::123456789012:role/target" }))["association"]!;
        Assert.Equal((OtherRole, "shop", "api"), ((string?)updated["roleArn"], (string?)updated["namespace"], (string?)updated["serviceAccount"]));
        Assert.Equal("us-west-2/123456789012/c/shop/api", (string?)updated["externalId"]);
        Assert.Equal(a["createdAt"]!.GetValue<double>(), updated["createdAt"]!.GetValue<double>());
        Assert.Equal(a["createdAt"]!.GetValue<double>() + 120, updated["modifiedAt"]!.GetValue<double>());

        // An empty targetRoleArn removes the target role, and the external id with it.
        var cleared = Ok(await sim.EksAsync(Post, path, new { targetRoleArn = "" }))["association"]!.AsObject();
        Assert.False(cleared.ContainsKey("targetRoleArn") || cleared.ContainsKey("externalId"), cleared.ToJsonString());
    }

    [Fact]
    public async Task Ids_of_the_wrong_length_are_invalid_and_unknown_ids_are_not_found()
    {
        await using var sim = await StartAsync();
        foreach (var method in new[] { Get, Post, Delete })
        {
            AssertError(await sim.EksAsync(method, $"{Associations}/a-short", method == Post ? new { roleArn = AppRole } : null),
                HttpStatusCode.BadRequest, "InvalidParameterException", "The parameter associationId should be 19 characters long.");
        }

        var unknown = await sim.EksAsync(Get, $"{Associations}/a-0000000000000000a");
        Assert.Equal((HttpStatusCode.NotFound, "ResourceNotFoundException"), (unknown.Status, unknown.ErrorType));
    }

    [Fact]
    public async Task Delete_returns_the_deleted_association_and_frees_the_service_account()
    {
        await using var sim = await StartAsync();
        var a = await CreateAsync(sim, extra: new { tags = new { team = "shop" } });
        var deleted = Ok(await sim.EksAsync(Delete, $"{Associations}/{a["associationId"]}"))["association"]!;
        Assert.Equal(a.ToJsonString(), deleted.ToJsonString());
        Assert.Equal(HttpStatusCode.NotFound, (await sim.EksAsync(Get, $"{Associations}/{a["associationId"]}")).Status);
        Assert.NotEqual((string?)a["associationId"], (string?)(await CreateAsync(sim))["associationId"]);
    }

    [Fact]
    public async Task List_filters_by_namespace_and_service_account_pages_and_returns_summaries()
    {
        await using var sim = await StartAsync();
        var ids = new List<string>();
        foreach (var (ns, sa) in new[] { ("shop", "api"), ("shop", "worker"), ("billing", "api") })
        {
            ids.Add((string)(await CreateAsync(sim, ns, sa))["associationId"]!);
        }

        static string[] Ids(JsonObject list) => [.. list["associations"]!.AsArray().Select(a => (string)a!["associationId"]!)];
        Assert.Equal(ids, Ids(Ok(await sim.EksAsync(Get, Associations))));
        Assert.Equal(ids[..2], Ids(Ok(await sim.EksAsync(Get, $"{Associations}?namespace=shop"))));
        Assert.Equal([ids[0], ids[2]], Ids(Ok(await sim.EksAsync(Get, $"{Associations}?serviceAccount=api"))));
        Assert.Equal([ids[2]], Ids(Ok(await sim.EksAsync(Get, $"{Associations}?namespace=billing&serviceAccount=api"))));

        var page1 = Ok(await sim.EksAsync(Get, $"{Associations}?maxResults=2"));
        Assert.Equal(ids[..2], Ids(page1));
        var page2 = Ok(await sim.EksAsync(Get, $"{Associations}?maxResults=2&nextToken={Uri.EscapeDataString((string)page1["nextToken"]!)}"));
        Assert.Equal(ids[2..], Ids(page2));

        var summary = page2["associations"]![0]!.AsObject();
        Assert.Equal(["clusterName", "namespace", "serviceAccount", "associationArn", "associationId"], summary.Select(kv => kv.Key));
    }

    [Fact]
    public async Task Associations_take_tags_through_the_tag_api_and_go_with_their_cluster()
    {
        await using var sim = await StartAsync();
        var arn = Uri.EscapeDataString((string)(await CreateAsync(sim, extra: new { tags = new { team = "shop" } }))["associationArn"]!);
        Ok(await sim.EksAsync(Post, "/tags/" + arn, new { tags = new { env = "test" } }));
        Assert.Equal("""{"team":"shop","env":"test"}""", Ok(await sim.EksAsync(Get, "/tags/" + arn))["tags"]!.ToJsonString());

        Ok(await sim.EksAsync(Delete, "/clusters/c"));
        sim.Time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(HttpStatusCode.NotFound, (await sim.EksAsync(Get, "/tags/" + arn)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await sim.EksAsync(Get, Associations)).Status);
    }

    [Fact]
    public void Add_ons_create_owned_associations_under_the_same_rules_and_delete_them_by_owner()
    {
        var world = new World(new AwsSimulatorOptions());
        Seeder.Seed(world, new AwsSeed { Roles = [new AwsSeedRole { Name = "app", AssumeRolePolicyDocument = PodsTrust }], Clusters = [new AwsSeedCluster { Name = "c" }] });
        var eks = new EksService(world);
        const string ebs = "arn:aws:eks:us-west-2:123456789012:addon/c/aws-ebs-csi-driver/9cc7ce8c-2e15-b0a7-f311-426691cd8546";
        const string efs = "arn:aws:eks:us-west-2:123456789012:addon/c/aws-efs-csi-driver/1cc7ce8c-2e15-b0a7-f311-426691cd8546";

        var owned = eks.CreateOwnedPodIdentityAssociation("c", "kube-system", "ebs-csi-controller-sa", AppRole, ebs);
        eks.CreateOwnedPodIdentityAssociation("c", "kube-system", "efs-csi-controller-sa", AppRole, efs);
        Assert.Equal(ebs, owned.OwnerArn);
        var taken = Assert.Throws<AwsErrorException>(() => eks.CreateOwnedPodIdentityAssociation("c", "kube-system", "ebs-csi-controller-sa", AppRole, efs));
        Assert.Equal($"Association already exists: {owned.Id}", taken.Message);
        Assert.Equal("Role provided in the request does not exist",
            Assert.Throws<AwsErrorException>(() => eks.CreateOwnedPodIdentityAssociation("c", "kube-system", "x", OtherRole, ebs)).Message);

        // The owner shows in the list summaries, so a client can tell an add-on's associations from its own.
        var route = EksService.Route("GET", ["clusters", "c", "pod-identity-associations"])!;
        var listed = eks.Handle(route, new EksCall(["c"], new Dictionary<string, List<string>>(), null))["associations"]!.AsArray();
        Assert.Equal([ebs, efs], listed.Select(a => (string?)a!["ownerArn"]));

        Assert.Equal([owned], eks.DeleteOwnedPodIdentityAssociations("c", ebs));
        Assert.Equal(["efs-csi-controller-sa"], world.Clusters["c"].PodIdentityAssociations.Values.Select(a => a.ServiceAccount));
    }
}
