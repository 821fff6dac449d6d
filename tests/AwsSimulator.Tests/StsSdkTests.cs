using System.Net;
using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Microsoft.Extensions.Time.Testing;

namespace EksOperator.Simulators.Aws.Tests;

/// <summary>The real AWSSDK.SecurityToken (what the operator uses) and AWSSDK.EC2 with its session credentials.</summary>
public sealed class StsSdkTests
{
    [Fact]
    public async Task The_SDK_assumes_a_role_in_another_account_and_its_session_expires_on_the_simulators_clock()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));
        await using var sim = await AwsSimulator.StartAsync(new AwsSimulatorOptions { Accounts = 2, TimeProvider = time });
        var (a, b) = (sim.Accounts[0], sim.Accounts[1]);
        sim.Seed(b.Id, new AwsSeed { Roles = [new AwsSeedRole { Name = "ops", AssumeRolePolicyDocument = StsScenario.TrustAccount(a.Id, "ext-1") }] });
        using var sts = Sts(sim, new BasicAWSCredentials(a.AccessKeyId, a.SecretAccessKey));

        var refused = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => sts.AssumeRoleAsync(new AssumeRoleRequest
        {
            RoleArn = $"arn:aws:iam::{b.Id}:role/ops", RoleSessionName = "op", ExternalId = "wrong",
        }));
        Assert.Equal("AccessDenied", refused.ErrorCode);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal($"User: {a.UserArn} is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::{b.Id}:role/ops", refused.Message);

        var assumed = await sts.AssumeRoleAsync(new AssumeRoleRequest
        {
            RoleArn = $"arn:aws:iam::{b.Id}:role/ops", RoleSessionName = "op", ExternalId = "ext-1", DurationSeconds = 1800,
        });
        Assert.Equal(time.GetUtcNow().AddSeconds(1800).UtcDateTime, assumed.Credentials.Expiration!.Value.ToUniversalTime());
        Assert.Equal($"arn:aws:sts::{b.Id}:assumed-role/ops/op", assumed.AssumedRoleUser.Arn);

        var session = new SessionAWSCredentials(assumed.Credentials.AccessKeyId, assumed.Credentials.SecretAccessKey, assumed.Credentials.SessionToken);
        using var asB = Sts(sim, session);
        var identity = await asB.GetCallerIdentityAsync(new GetCallerIdentityRequest());
        Assert.Equal(b.Id, identity.Account);
        Assert.Equal(assumed.AssumedRoleUser.AssumedRoleId, identity.UserId);
        Assert.Equal(b.Id, (await sts.GetAccessKeyInfoAsync(new GetAccessKeyInfoRequest { AccessKeyId = assumed.Credentials.AccessKeyId })).Account);

        using var ec2 = new AmazonEC2Client(session, new AmazonEC2Config { ServiceURL = sim.BaseAddress.ToString(), AuthenticationRegion = sim.Options.Region, MaxErrorRetry = 0 });
        var vpcs = await ec2.DescribeVpcsAsync(new DescribeVpcsRequest());
        Assert.Equal(sim.DefaultNetworkOf(b.Id).VpcId, Assert.Single(vpcs.Vpcs).VpcId);

        time.Advance(TimeSpan.FromSeconds(1799));
        Assert.Single((await ec2.DescribeVpcsAsync(new DescribeVpcsRequest())).Vpcs);
        time.Advance(TimeSpan.FromSeconds(1));
        var expired = await Assert.ThrowsAsync<AmazonEC2Exception>(() => ec2.DescribeVpcsAsync(new DescribeVpcsRequest()));
        Assert.Equal("RequestExpired", expired.ErrorCode);
        var stsExpired = await Assert.ThrowsAsync<AmazonSecurityTokenServiceException>(() => asB.GetCallerIdentityAsync(new GetCallerIdentityRequest()));
        Assert.Equal("ExpiredToken", stsExpired.ErrorCode);
    }

    private static AmazonSecurityTokenServiceClient Sts(AwsSimulator sim, AWSCredentials credentials) =>
        new(credentials, new AmazonSecurityTokenServiceConfig { ServiceURL = sim.BaseAddress.ToString(), AuthenticationRegion = sim.Options.Region, MaxErrorRetry = 0 });
}
