using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using EksOperator.Simulators.Aws.Internal;

namespace EksOperator.Simulators.Aws.Tests;

/// <summary>Accounts and regions over HTTP without signatures: the Authorization header's key still picks the account.</summary>
public sealed class MultiAccountTests
{
    private static readonly string[] Regions = ["eu-west-1"];

    [Fact]
    public async Task Each_account_and_region_has_its_own_default_network_and_state_and_IAM_is_global_per_account()
    {
        await using var sim = await AwsSimulator.StartAsync(new AwsSimulatorOptions { Accounts = 3, AdditionalRegions = Regions, VerifySignatures = false });
        Assert.Equal(["123456789012", "222222222222", "333333333333"], sim.Accounts.Select(a => a.Id));
        Assert.Equal(["us-west-2", "eu-west-1"], sim.Regions);
        Assert.Equal("vpc-0a000000000000001", sim.DefaultNetwork.VpcId);
        Assert.Equal("subnet-0a000000000000011", sim.DefaultNetwork.PrivateSubnetIds[0]);
        Assert.Equal("vpc-0a010000000000001", sim.DefaultNetworkOf("222222222222").VpcId);
        Assert.Equal("vpc-0a020100000000001", sim.DefaultNetworkOf("333333333333", "eu-west-1").VpcId);
        Assert.Equal(3, sim.Accounts.Select(a => a.AccessKeyId).Distinct().Count());

        var b = sim.Accounts[1];
        sim.Seed(b.Id, new AwsSeed { Roles = [new AwsSeedRole { Name = "r", AssumeRolePolicyDocument = TestSim.ClusterTrust }], Clusters = [new AwsSeedCluster { Name = "west" }] });
        sim.Seed(b.Id, new AwsSeed { Clusters = [new AwsSeedCluster { Name = "europe" }] }, "eu-west-1");
        using var http = new HttpClient { BaseAddress = sim.BaseAddress };

        Assert.Equal("[]", (await SendAsync(http, "eks", null, "us-west-2", "clusters"))["clusters"]!.ToJsonString());
        Assert.Equal("""["west"]""", (await SendAsync(http, "eks", b.AccessKeyId, "us-west-2", "clusters"))["clusters"]!.ToJsonString());
        var europe = await SendAsync(http, "eks", b.AccessKeyId, "eu-west-1", "clusters/europe");
        Assert.Equal("arn:aws:eks:eu-west-1:222222222222:cluster/europe", (string?)europe["cluster"]!["arn"]);

        // IAM is global: the role seeded in B is B's in every region, and not A's.
        var state = JsonNode.Parse(await http.GetStringAsync("_sim/state?account=222222222222&region=eu-west-1"))!;
        Assert.Equal("222222222222", (string?)state["account"]);
        Assert.Equal(["europe"], state["clusters"]!.AsArray().Select(c => (string)c!["name"]!));
        Assert.Equal(["r"], state["roles"]!.AsArray().Select(r => (string)r!["name"]!));
        var primary = JsonNode.Parse(await http.GetStringAsync("_sim/state"))!;
        Assert.Empty(primary["clusters"]!.AsArray());
        Assert.Empty(primary["roles"]!.AsArray());
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("_sim/state?account=999999999999")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("_sim/network?account=222222222222&region=ap-south-1")).StatusCode);

        var calls = sim.Calls.Entries();
        Assert.Equal([("123456789012", "us-west-2"), ("222222222222", "us-west-2"), ("222222222222", "eu-west-1")], calls.Select(c => (c.Account!, c.Region!)));
        var logged = JsonNode.Parse(await http.GetStringAsync("_sim/calls/log?account=222222222222"))!.AsArray();
        Assert.Equal(2, logged.Count);
    }

    [Fact]
    public async Task Throttling_one_account_leaves_the_other_answering_and_rate_limits_are_per_account()
    {
        await using var sim = await AwsSimulator.StartAsync(new AwsSimulatorOptions { Accounts = 2, VerifySignatures = false });
        var (a, b) = (sim.Accounts[0], sim.Accounts[1]);
        using var http = new HttpClient { BaseAddress = sim.BaseAddress };
        using var put = await http.PutAsync("_sim/faults", new StringContent($$"""{"throttleRate":1,"accounts":["{{a.Id}}"]}""", Encoding.UTF8, "application/json"));
        Assert.Equal($"[\"{a.Id}\"]", JsonNode.Parse(await put.Content.ReadAsStringAsync())!["accounts"]!.ToJsonString());

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, (await RawAsync(http, "eks", a.AccessKeyId, "clusters")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await RawAsync(http, "eks", b.AccessKeyId, "clusters")).StatusCode);
        }

        Assert.All(sim.Calls.EntriesOf(a.Id), c => Assert.Equal(429, c.StatusCode));
        Assert.All(sim.Calls.EntriesOf(b.Id), c => Assert.Equal(200, c.StatusCode));

        sim.Faults.Reset();
        Assert.Empty(sim.Faults.Accounts);
        sim.Faults.EnforceRateLimits = true;
        sim.Faults.ReadLimit = new AwsRateLimit(1, 0.000001);
        Assert.Equal(HttpStatusCode.OK, (await RawAsync(http, "eks", a.AccessKeyId, "clusters")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await RawAsync(http, "eks", a.AccessKeyId, "clusters")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await RawAsync(http, "eks", b.AccessKeyId, "clusters")).StatusCode);
    }

    [Theory]
    [InlineData("""{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"sts:AssumeRole"}""", true)]
    [InlineData("""{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111111111111:role/src"]},"Action":"sts:*"}""", true)]
    [InlineData("""{"Effect":"Allow","Principal":{"AWS":"arn:aws:sts::111111111111:assumed-role/src/s"},"Action":"sts:AssumeRole"}""", true)]
    [InlineData("""{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Action":"sts:AssumeRole"}""", false)]
    [InlineData("""{"Effect":"Allow","Principal":{"Service":"eks.amazonaws.com"},"Action":"sts:AssumeRole"}""", false)]
    [InlineData("""{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole","Condition":{"StringLike":{"sts:RoleSessionName":"ci-*"}}}""", true)]
    [InlineData("""{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"other"}}}""", false)]
    [InlineData("""{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole","Condition":{"StringEqualsIfExists":{"sts:SourceIdentity":"x"}}}""", true)]
    [InlineData("""{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole","Condition":{"ArnLike":{"aws:PrincipalArn":"*"}}}""", false)]
    [InlineData("""{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole","Condition":{"StringEquals":{"AWS:PRINCIPALARN":"arn:aws:iam::111111111111:role/src"}}}""", true)]
    public void Trust_policies_match_principals_actions_and_conditions(string statement, bool allowed)
    {
        var request = new TrustRequest("111111111111", "arn:aws:sts::111111111111:assumed-role/src/s", "arn:aws:iam::111111111111:role/src", "sts:AssumeRole",
            new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
            {
                ["sts:RoleSessionName"] = "ci-42", ["sts:ExternalId"] = "ext", ["aws:PrincipalArn"] = "arn:aws:iam::111111111111:role/src",
            });
        Assert.Equal(allowed, AssumeRoleTrust.Allows($$"""{"Version":"2012-10-17","Statement":[{{statement}}]}""", request));
    }

    [Fact]
    public void An_explicit_deny_wins_over_an_allow()
    {
        var request = new TrustRequest("111111111111", "arn:aws:iam::111111111111:user/operator", null, "sts:AssumeRole", new Dictionary<string, string>());
        var document = """{"Statement":[{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"sts:AssumeRole"},{"Effect":"Deny","Principal":"*","Action":"*"}]}""";
        Assert.False(AssumeRoleTrust.Allows(document, request));
    }

    private static async Task<JsonNode> SendAsync(HttpClient http, string service, string? key, string region, string path)
    {
        using var response = await RawAsync(http, service, key, path, region);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    /// <summary>Unsigned, but with an Authorization header naming the key and region (what picks the account and region).</summary>
    private static async Task<HttpResponseMessage> RawAsync(HttpClient http, string service, string? key, string path, string region = "us-west-2")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", $"AWS4-HMAC-SHA256 Credential={key}/20261129/{region}/{service}/aws4_request, SignedHeaders=host, Signature=00");
        }

        return await http.SendAsync(request);
    }
}
