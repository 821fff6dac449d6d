using Amazon.Runtime;
using EksOperator.Aws.Eks;
using EksOperator.Aws.Iam;
using EksOperator.Aws.Tokens;
using EksOperator.Aws.Transport;
using EksOperator.Simulators.Aws;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace EksOperator.Aws.Tests.Accounts;

/// <summary>
/// Our clients under an <see cref="AwsScope"/> against the simulator with two accounts and two regions: each call is
/// answered from the assumed role's account and the target's region, the role is assumed once per session (not per
/// call) and again just before it expires, and a trust policy's external id is enforced by STS, not by us.
/// </summary>
public sealed class CrossAccountTests : IAsyncLifetime
{
    private const string ExternalId = "tenant-b-7d2f";
    private AwsSimulator _sim = null!;
    private AwsAccount _a = null!;
    private AwsAccount _b = null!;
    private string _roleB = null!;
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    public async Task InitializeAsync()
    {
        _sim = await AwsSimulator.StartAsync(new AwsSimulatorOptions { Port = 0, TimeScale = 0, Accounts = 2, AdditionalRegions = ["eu-west-1"], TimeProvider = _time });
        (_a, _b) = (_sim.Accounts[0], _sim.Accounts[1]);
        _sim.Seed(_a.Id, new AwsSeed { Clusters = [new AwsSeedCluster { Name = "in-a" }] });
        _sim.Seed(_b.Id, new AwsSeed { Clusters = [new AwsSeedCluster { Name = "in-b" }] });
        _sim.Seed(_b.Id, new AwsSeed { Clusters = [new AwsSeedCluster { Name = "in-b-eu" }] }, "eu-west-1");

        // Account B's administrator makes the role the operator (account A) may assume with the external id.
        using var asB = Services(_b);
        var role = await asB.GetRequiredService<IIamApi>().CreateRoleAsync(new CreateRoleRequest
        {
            RoleName = "eks-operator-access",
            AssumeRolePolicyDocument = """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::ACCOUNT_A:root"},"Action":"sts:AssumeRole",
                "Condition":{"StringEquals":{"sts:ExternalId":"EXTERNAL_ID"}}}]}
                """.Replace("ACCOUNT_A", _a.Id, StringComparison.Ordinal).Replace("EXTERNAL_ID", ExternalId, StringComparison.Ordinal),
        });
        _roleB = role.Arn;
    }

    public async Task DisposeAsync() => await _sim.DisposeAsync();

    private ServiceProvider Services(AwsAccount account) => new ServiceCollection()
        .AddSingleton<TimeProvider>(_time)
        .AddEksOperatorAws(new AwsOptions
        {
            Region = "us-west-2",
            AccountId = account.Id,
            Credentials = new BasicAWSCredentials(account.AccessKeyId, account.SecretAccessKey),
            Eks = new AwsServiceOptions { ServiceUrl = _sim.BaseAddress, RequestsPerSecond = 0 },
            Iam = new AwsServiceOptions { ServiceUrl = _sim.BaseAddress, RequestsPerSecond = 0 },
            Ec2 = new AwsServiceOptions { ServiceUrl = _sim.BaseAddress, RequestsPerSecond = 0 },
            Sts = new AwsServiceOptions { ServiceUrl = _sim.BaseAddress },
            MaxAttempts = 1,
        })
        .BuildServiceProvider();

    private static async Task<List<string>> ClustersAsync(IEksApi eks) => [.. (await eks.ListClustersAsync(new ListClustersRequest())).Clusters];

    [Fact]
    public async Task Under_a_scope_calls_are_answered_from_the_assumed_accounts_region_and_the_role_is_assumed_once()
    {
        using var operatorA = Services(_a);
        var eks = operatorA.GetRequiredService<IEksApi>();
        var ec2 = operatorA.GetRequiredService<Ec2.IEc2Api>();
        var sessions = operatorA.GetRequiredService<IAwsSessions>();
        var roleB = new AwsAssumedRole(_roleB, ExternalId);

        Assert.Equal(["in-a"], await ClustersAsync(eks));
        using (AwsScope.Use(new AwsTarget("us-west-2", roleB)))
        {
            Assert.Equal(["in-b"], await ClustersAsync(eks));
            Assert.Equal(["in-b"], await ClustersAsync(eks));
            var vpcs = await ec2.DescribeVpcsAsync(new Ec2.Ec2VpcQuery());
            Assert.Contains(vpcs, v => v.VpcId == _sim.DefaultNetworkOf(_b.Id).VpcId);
            Assert.DoesNotContain(vpcs, v => v.VpcId == _sim.DefaultNetworkOf(_a.Id).VpcId);
        }

        using (AwsScope.Use(new AwsTarget("eu-west-1", roleB)))
        {
            Assert.Equal(["in-b-eu"], await ClustersAsync(eks));
        }

        Assert.Equal(["in-a"], await ClustersAsync(eks)); // the scope is gone: the operator's own account again
        Assert.Equal(1, sessions.AssumeRoleCalls);
        Assert.Equal(1, _sim.Calls.Entries().Count(c => c.Operation == "AssumeRole"));
        var eksCalls = _sim.Calls.Entries().Where(c => c.Service == "eks").Select(c => (c.Account, c.Region)).ToList();
        Assert.Equal([(_a.Id, "us-west-2"), (_b.Id, "us-west-2"), (_b.Id, "us-west-2"), (_b.Id, "eu-west-1"), (_a.Id, "us-west-2")], eksCalls);
    }

    [Fact]
    public async Task A_session_is_renewed_shortly_before_it_expires_not_on_every_call()
    {
        using var operatorA = Services(_a);
        var eks = operatorA.GetRequiredService<IEksApi>();
        var sessions = operatorA.GetRequiredService<IAwsSessions>();
        var roleB = new AwsAssumedRole(_roleB, ExternalId, DurationSeconds: 900);
        using var scope = AwsScope.Use(new AwsTarget("us-west-2", roleB));

        var first = await sessions.AssumeAsync(roleB, CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(9));
        await ClustersAsync(eks);
        Assert.Equal(1, sessions.AssumeRoleCalls);

        _time.Advance(TimeSpan.FromMinutes(2)); // inside the last five minutes
        Assert.Equal(["in-b"], await ClustersAsync(eks));
        Assert.Equal(2, sessions.AssumeRoleCalls);
        Assert.True((await sessions.AssumeAsync(roleB, CancellationToken.None)).ExpiresAt > first.ExpiresAt);
        Assert.Equal($"arn:aws:sts::{_b.Id}:assumed-role/eks-operator-access/eks-operator", first.AssumedArn);
    }

    [Fact]
    public async Task Without_the_external_id_sts_refuses_and_no_call_reaches_account_b()
    {
        using var operatorA = Services(_a);
        var eks = operatorA.GetRequiredService<IEksApi>();
        using var scope = AwsScope.Use(new AwsTarget("us-west-2", new AwsAssumedRole(_roleB)));

        var refused = await Assert.ThrowsAsync<AwsApiException>(() => ClustersAsync(eks));

        Assert.Equal(("sts", AwsErrorKind.AccessDenied), (refused.Service, refused.Kind));
        Assert.Contains("is not authorized to perform: sts:AssumeRole", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_sim.Calls.Entries(), c => c.Service == "eks" && c.Account == _b.Id);
    }

    [Fact]
    public async Task Tokens_for_a_cluster_in_account_b_are_presigned_with_the_assumed_session()
    {
        using var operatorA = Services(_a);
        var tokens = operatorA.GetRequiredService<IEksTokenGenerator>();
        var own = Decode((await tokens.GetTokenAsync("in-a")).Token);
        string assumed;
        using (AwsScope.Use(new AwsTarget("eu-west-1", new AwsAssumedRole(_roleB, ExternalId))))
        {
            assumed = Decode((await tokens.GetTokenAsync("in-b-eu")).Token);
        }

        Assert.Contains("X-Amz-Credential=" + _a.AccessKeyId, own, StringComparison.Ordinal);
        Assert.DoesNotContain("X-Amz-Security-Token", own, StringComparison.Ordinal);
        Assert.Contains("X-Amz-Credential=ASIA", assumed, StringComparison.Ordinal);
        Assert.Contains("%2Feu-west-1%2Fsts%2F", assumed, StringComparison.Ordinal);
        Assert.Contains("X-Amz-Security-Token=", assumed, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_target_has_its_own_retry_quota()
    {
        using var operatorA = Services(_a);
        var transport = operatorA.GetRequiredKeyedService<AwsTransport>(AwsServiceCollectionExtensions.EksTransportKey);
        var b = new AwsTarget("us-west-2", new AwsAssumedRole(_roleB, ExternalId));

        Assert.Same(transport.Quota, transport.QuotaOf(null));
        Assert.Same(transport.Quota, transport.QuotaOf(new AwsTarget("us-west-2")));
        Assert.NotSame(transport.Quota, transport.QuotaOf(b));
        Assert.Same(transport.QuotaOf(b), transport.QuotaOf(b with { }));
    }

    private static string Decode(string token)
    {
        var body = token[EksTokenGenerator.Prefix.Length..].Replace('-', '+').Replace('_', '/');
        return System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(body.PadRight(body.Length + ((4 - (body.Length % 4)) % 4), '=')));
    }
}
