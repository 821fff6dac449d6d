using System.Net;
using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;

namespace EksOperator.Simulators.Aws.Tests;

/// <summary>The real AWSSDK.EC2 (its signer and XML unmarshallers) against every EC2 response the simulator gives.</summary>
public sealed class Ec2SdkTests : IAsyncLifetime
{
    private AwsSimulator _sim = null!;
    private AmazonEC2Client _ec2 = null!;

    public async Task InitializeAsync()
    {
        _sim = await AwsSimulator.StartAsync(new AwsSimulatorOptions());
        _ec2 = Client(_sim.Options.SecretAccessKey);
    }

    public async Task DisposeAsync()
    {
        _ec2.Dispose();
        await _sim.DisposeAsync();
    }

    [Fact]
    public async Task DescribeSubnets_returns_the_seeded_default_vpc_subnets_with_every_field_parsed()
    {
        var response = await _ec2.DescribeSubnetsAsync(new DescribeSubnetsRequest());
        Assert.Equal(HttpStatusCode.OK, response.HttpStatusCode);
        Assert.False(string.IsNullOrEmpty(response.ResponseMetadata.RequestId));
        Assert.Equal(6, response.Subnets.Count);
        var net = _sim.DefaultNetwork;
        foreach (var subnet in response.Subnets)
        {
            Assert.Equal(net.VpcId, subnet.VpcId);
            Assert.Equal(SubnetState.Available, subnet.State);
            Assert.Equal("123456789012", subnet.OwnerId);
            Assert.StartsWith("172.31.", subnet.CidrBlock, StringComparison.Ordinal);
            Assert.Equal(4091, subnet.AvailableIpAddressCount);
            Assert.Matches("^us-west-2[abc]$", subnet.AvailabilityZone);
            Assert.Matches("^usw2-az[123]$", subnet.AvailabilityZoneId);
            Assert.Equal($"arn:aws:ec2:us-west-2:123456789012:subnet/{subnet.SubnetId}", subnet.SubnetArn);
            var isPublic = net.PublicSubnetIds.Contains(subnet.SubnetId);
            Assert.Equal(isPublic, subnet.MapPublicIpOnLaunch);
            Assert.Contains(subnet.Tags, t => t.Key == (isPublic ? "kubernetes.io/role/elb" : "kubernetes.io/role/internal-elb") && t.Value == "1");
            Assert.Contains(subnet.Tags, t => t.Key == "Name" && t.Value.StartsWith(isPublic ? "default-public-" : "default-private-", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task DescribeSubnets_filters_by_ids_tags_tag_keys_and_vpc()
    {
        var net = _sim.DefaultNetwork;
        var byTag = await _ec2.DescribeSubnetsAsync(new DescribeSubnetsRequest
        {
            Filters = [new Filter("tag:kubernetes.io/role/internal-elb", ["1"]), new Filter("vpc-id", [net.VpcId])],
        });
        Assert.Equal(net.PrivateSubnetIds.Order(StringComparer.Ordinal), byTag.Subnets.Select(s => s.SubnetId).Order(StringComparer.Ordinal));

        var byKey = await _ec2.DescribeSubnetsAsync(new DescribeSubnetsRequest { Filters = [new Filter("tag-key", ["kubernetes.io/role/elb"])] });
        Assert.Equal(3, byKey.Subnets.Count);

        var wildcard = await _ec2.DescribeSubnetsAsync(new DescribeSubnetsRequest { Filters = [new Filter("tag:Name", ["default-*-us-west-2a", "nothing?"])] });
        Assert.Equal(2, wildcard.Subnets.Count);

        var byIds = await _ec2.DescribeSubnetsAsync(new DescribeSubnetsRequest { SubnetIds = [net.PublicSubnetIds[1], net.PrivateSubnetIds[2]] });
        Assert.Equal(2, byIds.Subnets.Count);

        var none = await _ec2.DescribeSubnetsAsync(new DescribeSubnetsRequest { Filters = [new Filter("vpc-id", ["vpc-00000000000000000"])] });
        Assert.Empty(none.Subnets ?? []);
    }

    [Fact]
    public async Task DescribeSubnets_pages_with_MaxResults_and_NextToken()
    {
        var first = await _ec2.DescribeSubnetsAsync(new DescribeSubnetsRequest { MaxResults = 5 });
        Assert.Equal(5, first.Subnets.Count);
        Assert.False(string.IsNullOrEmpty(first.NextToken));
        var second = await _ec2.DescribeSubnetsAsync(new DescribeSubnetsRequest { MaxResults = 5, NextToken = first.NextToken });
        Assert.Single(second.Subnets);
        Assert.Null(second.NextToken);
    }

    [Fact]
    public async Task DescribeVpcs_and_DescribeSecurityGroups_parse()
    {
        var net = _sim.DefaultNetwork;
        var vpcs = await _ec2.DescribeVpcsAsync(new DescribeVpcsRequest { VpcIds = [net.VpcId] });
        var vpc = Assert.Single(vpcs.Vpcs);
        Assert.True(vpc.IsDefault);
        Assert.Equal(VpcState.Available, vpc.State);
        Assert.Equal("172.31.0.0/16", vpc.CidrBlock);
        Assert.Equal(VpcCidrBlockStateCode.Associated, Assert.Single(vpc.CidrBlockAssociationSet).CidrBlockState.State);
        Assert.Equal(Tenancy.Default, vpc.InstanceTenancy);

        var groups = await _ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest { Filters = [new Filter("vpc-id", [net.VpcId]), new Filter("group-name", ["default"])] });
        var group = Assert.Single(groups.SecurityGroups);
        Assert.Equal(net.SecurityGroupId, group.GroupId);
        Assert.Equal("default VPC security group", group.Description);
        var ingress = Assert.Single(group.IpPermissions);
        Assert.Equal("-1", ingress.IpProtocol);
        Assert.Equal(net.SecurityGroupId, Assert.Single(ingress.UserIdGroupPairs).GroupId);
        Assert.Equal("0.0.0.0/0", Assert.Single(Assert.Single(group.IpPermissionsEgress).Ipv4Ranges).CidrIp);

        var byName = await _ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest { GroupNames = ["default"] });
        Assert.Equal(net.SecurityGroupId, Assert.Single(byName.SecurityGroups).GroupId);
    }

    [Fact]
    public async Task Errors_parse_as_AmazonEC2Exception_with_AWS_codes()
    {
        var notFound = await Assert.ThrowsAsync<AmazonEC2Exception>(() => _ec2.DescribeSubnetsAsync(new DescribeSubnetsRequest { SubnetIds = ["subnet-0123456789abcdef0"] }));
        Assert.Equal("InvalidSubnetID.NotFound", notFound.ErrorCode);
        Assert.Equal("The subnet ID 'subnet-0123456789abcdef0' does not exist", notFound.Message);
        Assert.Equal(HttpStatusCode.BadRequest, notFound.StatusCode);
        Assert.False(string.IsNullOrEmpty(notFound.RequestId));

        var malformed = await Assert.ThrowsAsync<AmazonEC2Exception>(() => _ec2.DescribeVpcsAsync(new DescribeVpcsRequest { VpcIds = ["not-a-vpc"] }));
        Assert.Equal("InvalidVpcID.Malformed", malformed.ErrorCode);
        var group = await Assert.ThrowsAsync<AmazonEC2Exception>(() => _ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest { GroupIds = ["sg-0123456789abcdef0"] }));
        Assert.Equal("InvalidGroup.NotFound", group.ErrorCode);
        var filter = await Assert.ThrowsAsync<AmazonEC2Exception>(() => _ec2.DescribeSubnetsAsync(new DescribeSubnetsRequest { Filters = [new Filter("bogus", ["x"])] }));
        Assert.Equal("InvalidParameterValue", filter.ErrorCode);
        var dryRun = await Assert.ThrowsAsync<AmazonEC2Exception>(() => _ec2.DescribeVpcsAsync(new DescribeVpcsRequest { DryRun = true }));
        Assert.Equal("DryRunOperation", dryRun.ErrorCode);

        _sim.Faults.ThrottleRate = 1;
        var throttled = await Assert.ThrowsAsync<AmazonEC2Exception>(() => _ec2.DescribeVpcsAsync(new DescribeVpcsRequest()));
        Assert.Equal("RequestLimitExceeded", throttled.ErrorCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, throttled.StatusCode);
        _sim.Faults.Reset();

        _sim.Faults.ServerErrorRate = 1;
        var internalError = await Assert.ThrowsAsync<AmazonEC2Exception>(() => _ec2.DescribeVpcsAsync(new DescribeVpcsRequest()));
        Assert.Equal("InternalError", internalError.ErrorCode);
        _sim.Faults.Reset();
    }

    [Fact]
    public async Task A_wrong_secret_is_SignatureDoesNotMatch_and_the_right_one_verifies()
    {
        using var wrong = Client("wrong-secret");
        var denied = await Assert.ThrowsAsync<AmazonEC2Exception>(() => wrong.DescribeVpcsAsync(new DescribeVpcsRequest()));
        Assert.Equal("SignatureDoesNotMatch", denied.ErrorCode);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.NotEmpty((await _ec2.DescribeVpcsAsync(new DescribeVpcsRequest())).Vpcs);
        Assert.Equal(1, _sim.Calls.Entries().Count(c => c.StatusCode == 403));
    }

    private AmazonEC2Client Client(string secret) => new(
        new BasicAWSCredentials(_sim.Options.AccessKeyId, secret),
        new AmazonEC2Config { ServiceURL = _sim.BaseAddress.ToString(), AuthenticationRegion = _sim.Options.Region, MaxErrorRetry = 0 });
}
