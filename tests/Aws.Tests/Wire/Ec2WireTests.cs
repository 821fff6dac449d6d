using System.Net;
using Amazon.EC2;
using Amazon.Runtime;
using EksOperator.Aws.Ec2;
using EksOperator.Aws.Tests.Support;
using EksOperator.Aws.Transport;

namespace EksOperator.Aws.Tests.Wire;

public sealed class Ec2WireTests
{
    private const string SubnetsResponse = """
        <?xml version="1.0" encoding="UTF-8"?>
        <DescribeSubnetsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
          <requestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</requestId>
          <subnetSet>
            <item>
              <subnetId>subnet-0aaa</subnetId><state>available</state><vpcId>vpc-0123</vpcId><cidrBlock>10.0.128.0/19</cidrBlock>
              <availableIpAddressCount>8187</availableIpAddressCount><availabilityZone>us-west-2a</availabilityZone><availabilityZoneId>usw2-az1</availabilityZoneId>
              <defaultForAz>false</defaultForAz><mapPublicIpOnLaunch>false</mapPublicIpOnLaunch>
              <tagSet>
                <item><key>kubernetes.io/role/internal-elb</key><value>1</value></item>
                <item><key>Name</key><value>private-a</value></item>
              </tagSet>
            </item>
          </subnetSet>
          <nextToken>page-2</nextToken>
        </DescribeSubnetsResponse>
        """;

    private const string SecondPage = """
        <DescribeSubnetsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
          <requestId>r2</requestId>
          <subnetSet>
            <item><subnetId>subnet-0bbb</subnetId><state>available</state><vpcId>vpc-0123</vpcId><cidrBlock>10.0.160.0/19</cidrBlock>
              <availableIpAddressCount>10</availableIpAddressCount><availabilityZone>us-west-2b</availabilityZone>
              <defaultForAz>false</defaultForAz><mapPublicIpOnLaunch>true</mapPublicIpOnLaunch></item>
          </subnetSet>
        </DescribeSubnetsResponse>
        """;

    [Fact]
    public async Task DescribeSubnets_sends_ec2_query_filters_and_follows_pages()
    {
        var handler = new StubHandler()
            .Respond(HttpStatusCode.OK, SubnetsResponse, "text/xml")
            .Respond(HttpStatusCode.OK, SecondPage, "text/xml");
        var ec2 = Adapter(handler);

        var subnets = await ec2.DescribeSubnetsAsync(new Ec2SubnetQuery
        {
            VpcId = "vpc-0123",
            Tags = new Dictionary<string, string?> { ["kubernetes.io/role/internal-elb"] = "1", ["Name"] = null },
        });

        Assert.Equal(["subnet-0aaa", "subnet-0bbb"], subnets.Select(s => s.SubnetId));
        var first = subnets[0];
        Assert.Equal(("vpc-0123", "us-west-2a", "usw2-az1", "10.0.128.0/19", 8187, false, "available"), (first.VpcId, first.AvailabilityZone, first.AvailabilityZoneId, first.CidrBlock, first.AvailableIpAddressCount, first.MapPublicIpOnLaunch, first.State));
        Assert.Equal("private-a", first.Tags["Name"]);
        Assert.True(subnets[1].MapPublicIpOnLaunch);

        var form = Form(handler.Requests[0].BodyText);
        Assert.Equal("DescribeSubnets", form["Action"]);
        Assert.Equal("tag:kubernetes.io/role/internal-elb", form["Filter.1.Name"]);
        Assert.Equal("1", form["Filter.1.Value.1"]);
        Assert.Equal("tag-key", form["Filter.2.Name"]);
        Assert.Equal("Name", form["Filter.2.Value.1"]);
        Assert.Equal("vpc-id", form["Filter.3.Name"]);
        Assert.Equal("vpc-0123", form["Filter.3.Value.1"]);
        Assert.Equal("page-2", Form(handler.Requests[1].BodyText)["NextToken"]);
        var scope = SigV4Check.Verify(handler.Requests[0], TestClients.SecretKey);
        Assert.Equal(("us-west-2", "ec2"), (scope.Region, scope.Service));
    }

    [Fact]
    public async Task DescribeSubnets_by_id_maps_NotFound_onto_our_exception()
    {
        var handler = new StubHandler().Respond(
            HttpStatusCode.BadRequest,
            "<Response><Errors><Error><Code>InvalidSubnetID.NotFound</Code><Message>The subnet ID 'subnet-nope' does not exist</Message></Error></Errors><RequestID>e1</RequestID></Response>",
            "text/xml");

        var error = await Assert.ThrowsAsync<AwsApiException>(() => Adapter(handler).DescribeSubnetsAsync(new Ec2SubnetQuery { SubnetIds = ["subnet-nope"] }));

        Assert.Equal(("ec2", "InvalidSubnetID.NotFound", AwsErrorKind.NotFound, "e1"), (error.Service, error.Code, error.Kind, error.RequestId));
        Assert.Equal("subnet-nope", Form(handler.Single.BodyText)["SubnetId.1"]);
    }

    [Fact]
    public async Task DescribeSecurityGroups_and_Vpcs_read_the_ec2_element_names()
    {
        var handler = new StubHandler()
            .Respond(HttpStatusCode.OK, """
                <DescribeSecurityGroupsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId>
                  <securityGroupInfo><item><ownerId>123456789012</ownerId><groupId>sg-1</groupId><groupName>default</groupName>
                    <groupDescription>default VPC security group</groupDescription><vpcId>vpc-0123</vpcId><ipPermissions/><ipPermissionsEgress/></item></securityGroupInfo>
                </DescribeSecurityGroupsResponse>
                """, "text/xml")
            .Respond(HttpStatusCode.OK, """
                <DescribeVpcsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId>
                  <vpcSet><item><vpcId>vpc-0123</vpcId><ownerId>123456789012</ownerId><state>available</state><cidrBlock>10.0.0.0/16</cidrBlock>
                    <dhcpOptionsId>dopt-1</dhcpOptionsId><instanceTenancy>default</instanceTenancy><isDefault>true</isDefault>
                    <tagSet><item><key>Name</key><value>default</value></item></tagSet></item></vpcSet>
                </DescribeVpcsResponse>
                """, "text/xml");
        var ec2 = Adapter(handler);

        var groups = await ec2.DescribeSecurityGroupsAsync(new Ec2SecurityGroupQuery { VpcId = "vpc-0123", GroupNames = ["default"] });
        var vpcs = await ec2.DescribeVpcsAsync(new Ec2VpcQuery { IsDefault = true });

        var group = Assert.Single(groups);
        Assert.Equal(("sg-1", "default", "default VPC security group", "vpc-0123"), (group.GroupId, group.GroupName, group.Description, group.VpcId));
        Assert.Empty(group.Tags);
        var vpc = Assert.Single(vpcs);
        Assert.Equal(("vpc-0123", "10.0.0.0/16", true, "available", "default"), (vpc.VpcId, vpc.CidrBlock, vpc.IsDefault, vpc.State, vpc.Tags["Name"]));
        Assert.Equal("is-default", Form(handler.Requests[1].BodyText)["Filter.1.Name"]);
        Assert.Equal("true", Form(handler.Requests[1].BodyText)["Filter.1.Value.1"]);
    }

    private static Ec2Adapter Adapter(StubHandler handler)
    {
        var options = TestClients.Options(new Uri("https://ec2.us-west-2.amazonaws.com")) with { MaxAttempts = 1 };
        var credentials = new AwsCredentialSource(options);
        var config = new AmazonEC2Config
        {
            ServiceURL = "https://ec2.us-west-2.amazonaws.com",
            AuthenticationRegion = "us-west-2",
            MaxErrorRetry = 0,
            HttpClientFactory = new StubClientFactory(handler),
        };
        return new Ec2Adapter(new AmazonEC2Client(credentials.Credentials, config), options, new AwsRateLimiters(TimeProvider.System), credentials);
    }

    private static Dictionary<string, string> Form(string body) =>
        body.Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p[1].Replace('+', ' ')));

    private sealed class StubClientFactory(HttpMessageHandler handler) : HttpClientFactory
    {
        public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(handler, disposeHandler: false);

        public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

        public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => true;
    }
}
