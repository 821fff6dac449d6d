using System.Net;

namespace EksOperator.Simulators.Aws.Tests;

/// <summary>IAM and EC2 XML shapes and rules over HTTP (no signatures, fake clock).</summary>
public sealed class IamAndEc2WireTests
{
    [Fact]
    public async Task Iam_success_and_error_documents_have_AWS_shape()
    {
        await using var sim = await TestSim.StartAsync();
        var created = await sim.QueryAsync("CreateRole", ("RoleName", "wire"), ("Path", "/eks/"), ("AssumeRolePolicyDocument", TestSim.NodeTrust),
            ("Tags.member.1.Key", "owner"), ("Tags.member.1.Value", "uid-1"));
        Assert.Equal(HttpStatusCode.OK, created.Status);
        Assert.Equal("CreateRoleResponse", created.Xml.Root!.Name.LocalName);
        Assert.Equal("https://iam.amazonaws.com/doc/2010-05-08/", created.Xml.Root.Name.NamespaceName);
        Assert.Equal("arn:aws:iam::123456789012:role/eks/wire", created.All("Arn").Single().Value);
        Assert.StartsWith("AROA", created.All("RoleId").Single().Value, StringComparison.Ordinal);
        Assert.Equal(Uri.EscapeDataString(TestSim.NodeTrust), created.All("AssumeRolePolicyDocument").Single().Value);
        Assert.Single(created.All("RequestId"));

        var got = await sim.QueryAsync("GetRole", ("RoleName", "WIRE"));
        Assert.Equal("uid-1", got.All("Value").Single().Value);
        Assert.Equal("2026-11-29T12:00:00Z", got.All("CreateDate").Single().Value);

        var attach = await sim.QueryAsync("AttachRolePolicy", ("RoleName", "wire"), ("PolicyArn", "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy"));
        Assert.Empty(attach.All("AttachRolePolicyResult"));
        Assert.Single(attach.All("ResponseMetadata"));

        var conflict = await sim.QueryAsync("DeleteRole", ("RoleName", "wire"));
        Assert.Equal(HttpStatusCode.Conflict, conflict.Status);
        Assert.Equal("ErrorResponse", conflict.Xml.Root!.Name.LocalName);
        Assert.Equal("Sender", conflict.All("Type").Single().Value);
        Assert.Equal("DeleteConflict", conflict.ErrorCode);
        Assert.Equal("Cannot delete entity, must detach all policies first.", conflict.All("Message").Single().Value);

        var missing = await sim.QueryAsync("GetRole", ("RoleName", "nobody"));
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        Assert.Equal("NoSuchEntity", missing.ErrorCode);
        Assert.Equal("The role with name nobody cannot be found.", missing.All("Message").Single().Value);

        var notAttached = await sim.QueryAsync("DetachRolePolicy", ("RoleName", "wire"), ("PolicyArn", "arn:aws:iam::aws:policy/Other"));
        Assert.Equal("NoSuchEntity", notAttached.ErrorCode);
        var badArn = await sim.QueryAsync("AttachRolePolicy", ("RoleName", "wire"), ("PolicyArn", "AmazonEKSWorkerNodePolicy"));
        Assert.Equal("InvalidInput", badArn.ErrorCode);
        var badJson = await sim.QueryAsync("CreateRole", ("RoleName", "bad"), ("AssumeRolePolicyDocument", "{not json"));
        Assert.Equal("MalformedPolicyDocument", badJson.ErrorCode);
        var unknown = await sim.QueryAsync("ListUsers");
        Assert.Equal("InvalidAction", unknown.ErrorCode);
    }

    [Fact]
    public async Task Iam_limits_policies_per_role_and_pages_attached_policies()
    {
        await using var sim = await TestSim.StartAsync();
        await sim.QueryAsync("CreateRole", ("RoleName", "many"), ("AssumeRolePolicyDocument", TestSim.ClusterTrust));
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await sim.QueryAsync("AttachRolePolicy", ("RoleName", "many"), ("PolicyArn", $"arn:aws:iam::aws:policy/P{i}"))).Status);
        }

        Assert.Equal("LimitExceeded", (await sim.QueryAsync("AttachRolePolicy", ("RoleName", "many"), ("PolicyArn", "arn:aws:iam::aws:policy/P10"))).ErrorCode);

        var page = await sim.QueryAsync("ListAttachedRolePolicies", ("RoleName", "many"), ("MaxItems", "4"));
        Assert.Equal(4, page.All("PolicyArn").Count());
        Assert.Equal("true", page.All("IsTruncated").Single().Value);
        var rest = await sim.QueryAsync("ListAttachedRolePolicies", ("RoleName", "many"), ("Marker", page.All("Marker").Single().Value), ("MaxItems", "100"));
        Assert.Equal(6, rest.All("PolicyArn").Count());
        Assert.Equal("false", rest.All("IsTruncated").Single().Value);

        var dup = await sim.QueryAsync("CreateRole", ("RoleName", "MANY"), ("AssumeRolePolicyDocument", TestSim.ClusterTrust));
        Assert.Equal("EntityAlreadyExists", dup.ErrorCode);
        Assert.Equal(HttpStatusCode.Conflict, dup.Status);
    }

    [Fact]
    public async Task Ec2_documents_have_requestId_first_and_lists_under_the_root()
    {
        await using var sim = await TestSim.StartAsync();
        var subnets = await sim.QueryAsync("DescribeSubnets", ("Filter.1.Name", "availability-zone"), ("Filter.1.Value.1", "us-west-2a"), ("Filter.1.Value.2", "us-west-2b"),
            ("Filter.2.Name", "map-public-ip-on-launch"), ("Filter.2.Value.1", "false"));
        Assert.Equal("DescribeSubnetsResponse", subnets.Xml.Root!.Name.LocalName);
        Assert.Equal("http://ec2.amazonaws.com/doc/2016-11-15/", subnets.Xml.Root.Name.NamespaceName);
        Assert.Equal("requestId", subnets.Xml.Root.Elements().First().Name.LocalName);
        Assert.Equal("subnetSet", subnets.Xml.Root.Elements().ElementAt(1).Name.LocalName);
        Assert.Equal(2, subnets.All("subnetId").Count());

        var bareFilter = await sim.QueryAsync("DescribeVpcs", ("Filter", string.Empty));
        Assert.Single(bareFilter.All("vpcId"));

        var error = await sim.QueryAsync("DescribeSubnets", ("SubnetId.1", sim.Network.PublicSubnetIds[0]), ("SubnetId.2", "subnet-0000000000000000f"));
        Assert.Equal("Response", error.Xml.Root!.Name.LocalName);
        Assert.Equal("InvalidSubnetID.NotFound", error.ErrorCode);
        Assert.Single(error.All("RequestID"));
        Assert.Equal("InvalidAction", (await sim.QueryAsync("DescribeInstances")).ErrorCode);

        var clusterSg = await sim.EksAsync(HttpMethod.Post, "/clusters", sim.ClusterRequest("sgc"));
        var sgId = (string)clusterSg.Body!["cluster"]!["resourcesVpcConfig"]!["clusterSecurityGroupId"]!;
        var groups = await sim.QueryAsync("DescribeSecurityGroups", ("Filter.1.Name", "tag:aws:eks:cluster-name"), ("Filter.1.Value.1", "sgc"));
        Assert.Equal(sgId, groups.All("groupId").First().Value);
        Assert.Equal("securityGroupInfo", groups.Xml.Root!.Elements().ElementAt(1).Name.LocalName);
    }
}
