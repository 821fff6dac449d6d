using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Microsoft.Extensions.Time.Testing;

namespace EksOperator.Simulators.Aws.Tests;

internal sealed record EksReply(HttpStatusCode Status, JsonNode? Body, string? ErrorType)
{
    public string? Message => Body?["message"]?.GetValue<string>();
}

internal sealed record QueryReply(HttpStatusCode Status, XDocument Xml)
{
    public string? ErrorCode => Xml.Descendants().FirstOrDefault(e => e.Name.LocalName == "Code")?.Value;

    public IEnumerable<XElement> All(string localName) => Xml.Descendants().Where(e => e.Name.LocalName == localName);
}

/// <summary>A simulator on a fake clock, driven over real HTTP without signatures (unit tests of the state machines).</summary>
internal sealed class TestSim : IAsyncDisposable
{
    public const string ClusterTrust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"eks.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";
    public const string NodeTrust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";
    public const string FargateTrust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"eks-fargate-pods.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";

    private TestSim(AwsSimulator simulator, FakeTimeProvider time, AwsSeedResult roles)
    {
        Simulator = simulator;
        Time = time;
        Http = new HttpClient { BaseAddress = simulator.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        ClusterRoleArn = roles.RoleArns[0];
        NodeRoleArn = roles.RoleArns[1];
        FargateRoleArn = roles.RoleArns[2];
    }

    public AwsSimulator Simulator { get; }
    public FakeTimeProvider Time { get; }
    public HttpClient Http { get; }
    public string ClusterRoleArn { get; }
    public string NodeRoleArn { get; }
    public string FargateRoleArn { get; }

    public AwsDefaultNetwork Network => Simulator.DefaultNetwork;

    public static async Task<TestSim> StartAsync(Func<AwsSimulatorOptions, AwsSimulatorOptions>? configure = null)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));
        var options = new AwsSimulatorOptions { TimeProvider = time, VerifySignatures = false };
        var simulator = await AwsSimulator.StartAsync(configure?.Invoke(options) ?? options);
        var roles = simulator.Seed(new AwsSeed
        {
            Roles =
            [
                new AwsSeedRole { Name = "cluster-role", AssumeRolePolicyDocument = ClusterTrust },
                new AwsSeedRole { Name = "node-role", AssumeRolePolicyDocument = NodeTrust },
                new AwsSeedRole { Name = "fargate-role", AssumeRolePolicyDocument = FargateTrust },
            ],
        });
        return new TestSim(simulator, time, roles);
    }

    public async Task<EksReply> EksAsync(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (body is not null)
        {
            request.Content = new StringContent(body as string ?? JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        }

        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var errorType = response.Headers.TryGetValues("x-amzn-ErrorType", out var values) ? values.First() : null;
        return new EksReply(response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), errorType);
    }

    public async Task<QueryReply> QueryAsync(string action, params (string Name, string Value)[] parameters)
    {
        var form = new List<KeyValuePair<string, string>> { new("Action", action), new("Version", action.StartsWith("Describe", StringComparison.Ordinal) ? "2016-11-15" : "2010-05-08") };
        form.AddRange(parameters.Select(p => new KeyValuePair<string, string>(p.Name, p.Value)));
        using var content = new FormUrlEncodedContent(form);
        using var response = await Http.PostAsync(string.Empty, content);
        return new QueryReply(response.StatusCode, XDocument.Parse(await response.Content.ReadAsStringAsync()));
    }

    /// <summary>Creates a cluster over the default VPC's subnets and waits (fake time) until it is ACTIVE.</summary>
    public async Task<JsonNode> CreateActiveClusterAsync(string name, string version = "1.33")
    {
        var created = await EksAsync(HttpMethod.Post, "/clusters", ClusterRequest(name, version));
        Assert.Equal(HttpStatusCode.OK, created.Status);
        Time.Advance(TimeSpan.FromMinutes(12));
        var described = await EksAsync(HttpMethod.Get, $"/clusters/{name}");
        Assert.Equal("ACTIVE", (string?)described.Body!["cluster"]!["status"]);
        return described.Body!["cluster"]!;
    }

    public async Task CreateActiveNodegroupAsync(string cluster, string name, int desired = 2)
    {
        var created = await EksAsync(HttpMethod.Post, $"/clusters/{cluster}/node-groups", NodegroupRequest(name, desired));
        Assert.Equal(HttpStatusCode.OK, created.Status);
        Time.Advance(TimeSpan.FromMinutes(4));
    }

    public object ClusterRequest(string name, string version = "1.33", string? token = null) => new Dictionary<string, object?>
    {
        ["name"] = name,
        ["version"] = version,
        ["roleArn"] = ClusterRoleArn,
        ["resourcesVpcConfig"] = new { subnetIds = Network.PublicSubnetIds.Concat(Network.PrivateSubnetIds).ToArray() },
        ["clientRequestToken"] = token,
        ["tags"] = new Dictionary<string, string> { ["owner"] = "tests" },
    }.Where(kv => kv.Value is not null).ToDictionary();

    public object NodegroupRequest(string name, int desired = 2) => new
    {
        nodegroupName = name,
        nodeRole = NodeRoleArn,
        subnets = Network.PrivateSubnetIds,
        scalingConfig = new { minSize = 1, maxSize = 5, desiredSize = desired },
    };

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Simulator.DisposeAsync();
    }
}
