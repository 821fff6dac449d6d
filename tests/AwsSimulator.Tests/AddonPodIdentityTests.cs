using System.Net;
using System.Text.Json.Nodes;

namespace EksOperator.Simulators.Aws.Tests;

/// <summary>
/// The Pod Identity associations an add-on owns (reference §1.8, §1.9), on a FakeTimeProvider: real associations in the
/// cluster's store, created at CreateAddon, replaced when an AddonUpdate succeeds, gone with the add-on unless preserved.
/// </summary>
public sealed class AddonPodIdentityTests
{
    private const string Ebs = "aws-ebs-csi-driver";
    private const string Sa = "ebs-csi-controller-sa";
    private const string Role = "arn:aws:iam::123456789012:role/ebs";
    private const string Role2 = "arn:aws:iam::123456789012:role/ebs-2";
    private const string Associations = "/clusters/a1/pod-identity-associations";
    private const string IrsaTrust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::123456789012:oidc-provider/x"},"Action":"sts:AssumeRoleWithWebIdentity"}]}""";

    private static readonly HttpMethod Get = HttpMethod.Get;
    private static readonly HttpMethod Post = HttpMethod.Post;
    private static readonly HttpMethod Delete = HttpMethod.Delete;

    private static async Task<TestSim> StartAsync()
    {
        var sim = await TestSim.StartAsync();
        await sim.CreateActiveClusterAsync("a1");
        sim.Simulator.Seed(new AwsSeed
        {
            Roles =
            [
                new AwsSeedRole { Name = "ebs", AssumeRolePolicyDocument = PodIdentityTests.PodsTrust },
                new AwsSeedRole { Name = "ebs-2", AssumeRolePolicyDocument = PodIdentityTests.PodsTrust },
                new AwsSeedRole { Name = "irsa", AssumeRolePolicyDocument = IrsaTrust },
                new AwsSeedRole { Name = "fresh", AssumeRolePolicyDocument = PodIdentityTests.PodsTrust, Propagated = false },
            ],
        });
        return sim;
    }

    private static object CreateEbs(string role = Role, string? ns = null) => ns is null
        ? new { addonName = Ebs, podIdentityAssociations = new[] { new { serviceAccount = Sa, roleArn = role } } }
        : new { addonName = Ebs, podIdentityAssociations = new[] { new { serviceAccount = Sa, roleArn = role } }, namespaceConfig = new { @namespace = ns } };

    private static object Identity(params string[] roles) => new { podIdentityAssociations = roles.Select(r => new { serviceAccount = Sa, roleArn = r }).ToArray() };

    private static JsonObject Ok(EksReply reply)
    {
        Assert.True(reply.Status == HttpStatusCode.OK, $"{reply.Status} {reply.Body?.ToJsonString()}");
        return reply.Body!.AsObject();
    }

    private static async Task<JsonArray> ListAsync(TestSim sim) => Ok(await sim.EksAsync(Get, Associations))["associations"]!.AsArray();

    private static async Task<JsonNode> DescribeAsync(TestSim sim, string arn) =>
        Ok(await sim.EksAsync(Get, $"{Associations}/{arn[(arn.LastIndexOf('/') + 1)..]}"))["association"]!;

    private static async Task<JsonNode> AddonAsync(TestSim sim) => Ok(await sim.EksAsync(Get, $"/clusters/a1/addons/{Ebs}"))["addon"]!;

    [Fact]
    public async Task CreateAddon_creates_a_real_association_owned_by_the_addon_in_its_default_namespace()
    {
        await using var sim = await StartAsync();
        var addon = Ok(await sim.EksAsync(Post, "/clusters/a1/addons", CreateEbs()))["addon"]!;
        var arn = (string)Assert.Single(addon["podIdentityAssociations"]!.AsArray())!;

        // At acceptance: the add-on is still CREATING and the association is already there.
        Assert.Equal("CREATING", (string?)addon["status"]);
        var summary = Assert.Single(await ListAsync(sim))!;
        Assert.Equal((arn, "kube-system", Sa, (string?)addon["addonArn"]),
            ((string?)summary["associationArn"], (string?)summary["namespace"], (string?)summary["serviceAccount"], (string?)summary["ownerArn"]));
        var association = await DescribeAsync(sim, arn);
        Assert.Equal((Role, (string?)addon["addonArn"]), ((string?)association["roleArn"], (string?)association["ownerArn"]));
    }

    [Fact]
    public async Task The_association_goes_in_the_namespace_of_namespaceConfig()
    {
        await using var sim = await StartAsync();
        Ok(await sim.EksAsync(Post, "/clusters/a1/addons", CreateEbs(ns: "storage")));
        Assert.Equal("storage", (string?)Assert.Single(await ListAsync(sim))!["namespace"]);
    }

    [Theory]
    [InlineData("arn:aws:iam::123456789012:role/missing", "Role provided in the request does not exist")]
    [InlineData("arn:aws:iam::123456789012:role/fresh", "Role provided in the request does not exist")]
    [InlineData("arn:aws:iam::210987654321:role/ebs", "Role provided in the request does not exist")]
    [InlineData("arn:aws:iam::123456789012:role/irsa", "Trust policy of the role provided is invalid")]
    public async Task CreateAddon_with_a_role_Pod_Identity_cannot_use_fails_like_CreatePodIdentityAssociation_and_creates_nothing(string role, string message)
    {
        await using var sim = await StartAsync();
        var refused = await sim.EksAsync(Post, "/clusters/a1/addons", CreateEbs(role));
        Assert.Equal((HttpStatusCode.BadRequest, "InvalidParameterException", message), (refused.Status, refused.ErrorType, refused.Message));
        Assert.Equal((Ebs, "a1"), ((string?)refused.Body!["addonName"], (string?)refused.Body!["clusterName"]));
        Assert.Equal("[]", Ok(await sim.EksAsync(Get, "/clusters/a1/addons"))["addons"]!.ToJsonString());
        Assert.Empty(await ListAsync(sim));

        // Nothing was half-done: the same add-on can be created once the role is right.
        Ok(await sim.EksAsync(Post, "/clusters/a1/addons", CreateEbs()));
    }

    [Fact]
    public async Task An_addon_cannot_take_over_an_existing_association_for_its_service_account()
    {
        await using var sim = await StartAsync();
        var mine = Ok(await sim.EksAsync(Post, Associations, new { @namespace = "kube-system", serviceAccount = Sa, roleArn = Role }))["association"]!;
        var id = (string)mine["associationId"]!;

        var taken = await sim.EksAsync(Post, "/clusters/a1/addons", CreateEbs(Role2));
        Assert.Equal((HttpStatusCode.Conflict, "ResourceInUseException", $"Association already exists: {id}", Ebs),
            (taken.Status, taken.ErrorType, taken.Message, (string?)taken.Body!["addonName"]));
        Assert.Equal(HttpStatusCode.NotFound, (await sim.EksAsync(Get, $"/clusters/a1/addons/{Ebs}")).Status);
        var kept = Assert.Single(await ListAsync(sim))!.AsObject();
        Assert.Equal(id, (string?)kept["associationId"]);
        Assert.False(kept.ContainsKey("ownerArn"));
    }

    [Fact]
    public async Task UpdateAddon_replaces_the_owned_set_when_the_update_succeeds()
    {
        await using var sim = await StartAsync();
        var arn = (string)Ok(await sim.EksAsync(Post, "/clusters/a1/addons", CreateEbs()))["addon"]!["podIdentityAssociations"]![0]!;
        sim.Time.Advance(TimeSpan.FromSeconds(45));

        // A new role for a kept service account: the same association, updated when the update is Successful.
        Ok(await sim.EksAsync(Post, $"/clusters/a1/addons/{Ebs}/update", Identity(Role2)));
        Assert.Equal(Role, (string?)(await DescribeAsync(sim, arn))["roleArn"]);
        sim.Time.Advance(TimeSpan.FromSeconds(30));
        var updated = await DescribeAsync(sim, arn);
        Assert.Equal(Role2, (string?)updated["roleArn"]);
        Assert.True(updated["modifiedAt"]!.GetValue<double>() > updated["createdAt"]!.GetValue<double>());
        Assert.Equal(arn, (string?)Assert.Single((await AddonAsync(sim))["podIdentityAssociations"]!.AsArray()));

        // [] deletes the add-on's associations, and only at success.
        Ok(await sim.EksAsync(Post, $"/clusters/a1/addons/{Ebs}/update", Identity()));
        Assert.Single(await ListAsync(sim));
        sim.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Empty(await ListAsync(sim));
        Assert.Equal("[]", (await AddonAsync(sim))["podIdentityAssociations"]!.ToJsonString());

        // And back: a new association, with a new id.
        Ok(await sim.EksAsync(Post, $"/clusters/a1/addons/{Ebs}/update", Identity(Role)));
        sim.Time.Advance(TimeSpan.FromSeconds(30));
        var again = (string)Assert.Single(await ListAsync(sim))!["associationArn"]!;
        Assert.NotEqual(arn, again);
        Assert.Equal(again, (string?)(await AddonAsync(sim))["podIdentityAssociations"]![0]);
    }

    [Fact]
    public async Task UpdateAddon_refuses_a_bad_role_or_a_taken_service_account_at_acceptance()
    {
        await using var sim = await StartAsync();
        Ok(await sim.EksAsync(Post, "/clusters/a1/addons", CreateEbs()));
        sim.Time.Advance(TimeSpan.FromSeconds(45));

        var untrusted = await sim.EksAsync(Post, $"/clusters/a1/addons/{Ebs}/update", Identity("arn:aws:iam::123456789012:role/irsa"));
        Assert.Equal(("InvalidParameterException", "Trust policy of the role provided is invalid", Ebs),
            (untrusted.ErrorType, untrusted.Message, (string?)untrusted.Body!["addonName"]));
        Assert.Equal("ACTIVE", (string?)(await AddonAsync(sim))["status"]);

        Ok(await sim.EksAsync(Post, $"/clusters/a1/addons/{Ebs}/update", Identity()));
        sim.Time.Advance(TimeSpan.FromSeconds(30));
        var id = (string)Ok(await sim.EksAsync(Post, Associations, new { @namespace = "kube-system", serviceAccount = Sa, roleArn = Role }))["association"]!["associationId"]!;
        var taken = await sim.EksAsync(Post, $"/clusters/a1/addons/{Ebs}/update", Identity(Role2));
        Assert.Equal((HttpStatusCode.Conflict, $"Association already exists: {id}"), (taken.Status, taken.Message));
    }

    [Fact]
    public async Task An_update_whose_service_account_was_taken_meanwhile_fails_and_changes_nothing()
    {
        await using var sim = await StartAsync();
        Ok(await sim.EksAsync(Post, "/clusters/a1/addons", CreateEbs()));
        sim.Time.Advance(TimeSpan.FromSeconds(45));
        Ok(await sim.EksAsync(Post, $"/clusters/a1/addons/{Ebs}/update", Identity()));
        sim.Time.Advance(TimeSpan.FromSeconds(30));

        var update = Ok(await sim.EksAsync(Post, $"/clusters/a1/addons/{Ebs}/update", new { addonVersion = "v1.53.0-eksbuild.1", podIdentityAssociations = new[] { new { serviceAccount = Sa, roleArn = Role2 } } }))["update"]!;
        var id = (string)Ok(await sim.EksAsync(Post, Associations, new { @namespace = "kube-system", serviceAccount = Sa, roleArn = Role }))["association"]!["associationId"]!;
        sim.Time.Advance(TimeSpan.FromSeconds(30));

        var failed = Ok(await sim.EksAsync(Get, $"/clusters/a1/updates/{update["id"]}?addonName={Ebs}"))["update"]!;
        Assert.Equal("Failed", (string?)failed["status"]);
        var error = Assert.Single(failed["errors"]!.AsArray())!;
        Assert.Equal(("ConfigurationConflict", $"Association already exists: {id}", Sa),
            ((string?)error["errorCode"], (string?)error["errorMessage"], (string?)error["resourceIds"]![0]));
        var addon = await AddonAsync(sim);
        Assert.Equal(("ACTIVE", "[]"), ((string?)addon["status"], addon["podIdentityAssociations"]!.ToJsonString()));
        Assert.NotEqual("v1.53.0-eksbuild.1", (string?)addon["addonVersion"]);
        Assert.False(Assert.Single(await ListAsync(sim))!.AsObject().ContainsKey("ownerArn"));
    }

    [Fact]
    public async Task DeleteAddon_deletes_the_owned_associations_when_the_addon_goes()
    {
        await using var sim = await StartAsync();
        Ok(await sim.EksAsync(Post, "/clusters/a1/addons", CreateEbs()));
        var other = (string)Ok(await sim.EksAsync(Post, Associations, new { @namespace = "apps", serviceAccount = "api", roleArn = Role }))["association"]!["associationId"]!;
        sim.Time.Advance(TimeSpan.FromSeconds(45));

        Ok(await sim.EksAsync(Delete, $"/clusters/a1/addons/{Ebs}"));
        Assert.Equal(2, (await ListAsync(sim)).Count);
        sim.Time.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(HttpStatusCode.NotFound, (await sim.EksAsync(Get, $"/clusters/a1/addons/{Ebs}")).Status);
        Assert.Equal(other, (string?)Assert.Single(await ListAsync(sim))!["associationId"]);
    }

    [Fact]
    public async Task DeleteAddon_with_preserve_keeps_them_with_their_ownerArn_and_a_new_addon_cannot_take_them_over()
    {
        await using var sim = await StartAsync();
        var created = Ok(await sim.EksAsync(Post, "/clusters/a1/addons", CreateEbs()))["addon"]!;
        sim.Time.Advance(TimeSpan.FromSeconds(45));

        Ok(await sim.EksAsync(Delete, $"/clusters/a1/addons/{Ebs}?preserve=true"));
        sim.Time.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(HttpStatusCode.NotFound, (await sim.EksAsync(Get, $"/clusters/a1/addons/{Ebs}")).Status);
        var kept = Assert.Single(await ListAsync(sim))!;
        Assert.Equal((string?)created["addonArn"], (string?)kept["ownerArn"]);

        var again = await sim.EksAsync(Post, "/clusters/a1/addons", CreateEbs());
        Assert.Equal((HttpStatusCode.Conflict, $"Association already exists: {kept["associationId"]}"), (again.Status, again.Message));

        // The Pod Identity API still works on it, and the cluster takes it with it.
        Ok(await sim.EksAsync(Delete, $"{Associations}/{kept["associationId"]}"));
        Ok(await sim.EksAsync(Post, "/clusters/a1/addons", CreateEbs()));
        Ok(await sim.EksAsync(Delete, "/clusters/a1"));
        sim.Time.Advance(TimeSpan.FromMinutes(5));
        await sim.CreateActiveClusterAsync("a1");
        Assert.Empty(await ListAsync(sim));
    }
}
