using System.Text.Json.Nodes;

namespace EksOperator.Simulators.Aws.Tests;

// The AWS CLI scenario of the conformance suite, with signatures verified. One class per part so
// that xunit runs them in parallel (each CLI invocation is a Python process start). Lifecycles are
// scaled so each finishes well within one CLI invocation, so the CLI waiters succeed on their first poll.

internal static class CliScenario
{
    // 12 minutes × 0.0002 ≈ 0.14 s; starting a CLI process takes longer than that even on a fast machine.
    public const double TimeScale = 0.0002;

    public static AwsSeed Roles => new()
    {
        Roles =
        [
            new AwsSeedRole { Name = "cli-cluster", AssumeRolePolicyDocument = TestSim.ClusterTrust },
            new AwsSeedRole { Name = "cli-node", AssumeRolePolicyDocument = TestSim.NodeTrust },
            new AwsSeedRole { Name = "cli-fargate", AssumeRolePolicyDocument = TestSim.FargateTrust },
        ],
    };

    public static Task<AwsSimulator> StartAsync() => AwsSimulator.StartAsync(new AwsSimulatorOptions { TimeScale = TimeScale });

    public static async Task<string?> PollAsync(Func<Task<string?>> read, string expected)
    {
        string? value = null;
        for (var i = 0; i < 10 && value != expected; i++)
        {
            value = await read();
        }

        return value;
    }
}

public sealed class EksClusterCliTests
{
    [ToolFact("aws")]
    public async Task Eks_cluster_create_wait_upgrade_and_error_cases()
    {
        await using var sim = await CliScenario.StartAsync();
        var roles = sim.Seed(CliScenario.Roles);
        var cli = new AwsCli(sim);
        var subnets = string.Join(',', sim.DefaultNetwork.PublicSubnetIds.Concat(sim.DefaultNetwork.PrivateSubnetIds));

        var created = await cli.OkAsync("eks", "create-cluster", "--name", "cli1", "--kubernetes-version", "1.32",
            "--role-arn", roles.RoleArns[0], "--resources-vpc-config", $"subnetIds={subnets}", "--tags", "team=platform");
        Assert.Equal("CREATING", (string?)created.Json["cluster"]!["status"]);

        await cli.OkAsync("eks", "wait", "cluster-active", "--name", "cli1");
        var described = (await cli.OkAsync("eks", "describe-cluster", "--name", "cli1")).Json["cluster"]!;
        Assert.Equal("ACTIVE", (string?)described["status"]);
        Assert.Equal("platform", (string?)described["tags"]!["team"]);

        await cli.FailsWithAsync("ResourceInUseException", "eks", "create-cluster", "--name", "cli1",
            "--role-arn", roles.RoleArns[0], "--resources-vpc-config", $"subnetIds={subnets}");

        var update = (await cli.OkAsync("eks", "update-cluster-version", "--name", "cli1", "--kubernetes-version", "1.33")).Json["update"]!;
        Assert.Equal("VersionUpdate", (string?)update["type"]);
        var updateId = (string)update["id"]!;
        var status = await CliScenario.PollAsync(async () => (string?)(await cli.OkAsync("eks", "describe-update", "--name", "cli1", "--update-id", updateId)).Json["update"]!["status"], "Successful");
        Assert.Equal("Successful", status);

        var skip = await cli.FailsWithAsync("InvalidParameterException", "eks", "update-cluster-version", "--name", "cli1", "--kubernetes-version", "1.35");
        Assert.Contains("Unsupported Kubernetes minor version update from 1.33 to 1.35", skip.Stderr, StringComparison.Ordinal);

        await cli.OkAsync("eks", "delete-cluster", "--name", "cli1");
        await cli.OkAsync("eks", "wait", "cluster-deleted", "--name", "cli1");
        await cli.FailsWithAsync("ResourceNotFoundException", "eks", "describe-cluster", "--name", "cli1");
    }
}

public sealed class EksNodegroupAndFargateCliTests
{
    [ToolFact("aws")]
    public async Task Eks_nodegroup_and_fargate_profile_lifecycle_and_delete_order()
    {
        await using var sim = await CliScenario.StartAsync();
        var roles = sim.Seed(CliScenario.Roles);
        var cli = new AwsCli(sim);
        var net = sim.DefaultNetwork;

        // Creating and waiting for a cluster is covered above; this one starts ACTIVE to keep the scenario short.
        sim.Seed(new AwsSeed { Clusters = [new AwsSeedCluster { Name = "cli2", RoleArn = roles.RoleArns[0] }] });

        var ng = (await cli.OkAsync(["eks", "create-nodegroup", "--cluster-name", "cli2", "--nodegroup-name", "workers",
            "--node-role", roles.RoleArns[1], "--subnets", .. net.PrivateSubnetIds,
            "--scaling-config", "minSize=1,maxSize=3,desiredSize=2", "--labels", "role=worker"])).Json["nodegroup"]!;
        Assert.Equal("1.34", (string?)ng["version"]);
        await cli.OkAsync("eks", "wait", "nodegroup-active", "--cluster-name", "cli2", "--nodegroup-name", "workers");

        // An ARN with ':' and '/' as a path label: botocore percent-encodes it and signs it encoded twice.
        var nodegroupArn = (string)ng["nodegroupArn"]!;
        await cli.OkAsync("eks", "tag-resource", "--resource-arn", nodegroupArn, "--tags", "env=test");
        Assert.Equal("test", (string?)(await cli.OkAsync("eks", "list-tags-for-resource", "--resource-arn", nodegroupArn)).Json["tags"]!["env"]);

        var profile = (await cli.OkAsync(["eks", "create-fargate-profile", "--cluster-name", "cli2", "--fargate-profile-name", "system",
            "--pod-execution-role-arn", roles.RoleArns[2], "--subnets", .. net.PrivateSubnetIds,
            "--selectors", "namespace=kube-system"])).Json["fargateProfile"]!;
        Assert.Equal("CREATING", (string?)profile["status"]);
        await cli.OkAsync("eks", "wait", "fargate-profile-active", "--cluster-name", "cli2", "--fargate-profile-name", "system");

        var inUse = await cli.FailsWithAsync("ResourceInUseException", "eks", "delete-cluster", "--name", "cli2");
        Assert.Contains("Cluster has nodegroups attached", inUse.Stderr, StringComparison.Ordinal);

        await cli.OkAsync("eks", "delete-fargate-profile", "--cluster-name", "cli2", "--fargate-profile-name", "system");
        await cli.OkAsync("eks", "delete-nodegroup", "--cluster-name", "cli2", "--nodegroup-name", "workers");
        await cli.OkAsync("eks", "wait", "fargate-profile-deleted", "--cluster-name", "cli2", "--fargate-profile-name", "system");
        await cli.OkAsync("eks", "wait", "nodegroup-deleted", "--cluster-name", "cli2", "--nodegroup-name", "workers");
        await cli.OkAsync("eks", "delete-cluster", "--name", "cli2");
        await cli.OkAsync("eks", "wait", "cluster-deleted", "--name", "cli2");
        Assert.Equal(1, sim.Calls.Count("eks:CreateNodegroup"));
    }
}

public sealed class IamCliTests
{
    [ToolFact("aws")]
    public async Task Iam_role_create_get_attach_detach_delete()
    {
        await using var sim = await CliScenario.StartAsync();
        var cli = new AwsCli(sim);
        const string policy = "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy";

        var role = (await cli.OkAsync("iam", "create-role", "--role-name", "cli-role", "--assume-role-policy-document", TestSim.ClusterTrust,
            "--tags", "Key=owner,Value=tests")).Json["Role"]!;
        Assert.Equal("arn:aws:iam::123456789012:role/cli-role", (string?)role["Arn"]);

        var got = (await cli.OkAsync("iam", "get-role", "--role-name", "cli-role")).Json["Role"]!;
        Assert.Equal("eks.amazonaws.com", (string?)got["AssumeRolePolicyDocument"]!["Statement"]![0]!["Principal"]!["Service"]);
        Assert.Equal("tests", (string?)got["Tags"]![0]!["Value"]);

        await cli.FailsWithAsync("EntityAlreadyExists", "iam", "create-role", "--role-name", "cli-role", "--assume-role-policy-document", TestSim.ClusterTrust);
        await cli.OkAsync("iam", "attach-role-policy", "--role-name", "cli-role", "--policy-arn", policy);
        var attached = (await cli.OkAsync("iam", "list-attached-role-policies", "--role-name", "cli-role")).Json["AttachedPolicies"]!.AsArray();
        Assert.Equal("AmazonEKSClusterPolicy", (string?)Assert.Single(attached)!["PolicyName"]);

        await cli.FailsWithAsync("DeleteConflict", "iam", "delete-role", "--role-name", "cli-role");
        await cli.OkAsync("iam", "detach-role-policy", "--role-name", "cli-role", "--policy-arn", policy);
        await cli.OkAsync("iam", "delete-role", "--role-name", "cli-role");
        Assert.Equal(8, sim.Calls.Entries().Count(c => c.Service == "iam"));
    }
}

public sealed class Ec2CliTests
{
    [ToolFact("aws")]
    public async Task Ec2_describe_subnets_with_tag_filters_vpcs_and_security_groups()
    {
        await using var sim = await CliScenario.StartAsync();
        var cli = new AwsCli(sim);
        var net = sim.DefaultNetwork;

        var pub = (await cli.OkAsync("ec2", "describe-subnets", "--filters", "Name=tag:kubernetes.io/role/elb,Values=1", $"Name=vpc-id,Values={net.VpcId}")).Json["Subnets"]!.AsArray();
        Assert.Equal(net.PublicSubnetIds.Order(StringComparer.Ordinal), pub.Select(s => (string)s!["SubnetId"]!).Order(StringComparer.Ordinal));
        Assert.All(pub, s => Assert.True((bool)s!["MapPublicIpOnLaunch"]!));

        var priv = (await cli.OkAsync("ec2", "describe-subnets", "--filters", "Name=tag-key,Values=kubernetes.io/role/internal-elb", "Name=tag:Name,Values=default-private-*")).Json["Subnets"]!.AsArray();
        Assert.Equal(3, priv.Count);
        Assert.Equal(3, priv.Select(s => (string?)s!["AvailabilityZone"]).Distinct().Count());

        var byId = (await cli.OkAsync("ec2", "describe-subnets", "--subnet-ids", net.PrivateSubnetIds[0])).Json["Subnets"]!.AsArray();
        Assert.Equal(net.PrivateSubnetIds[0], (string?)Assert.Single(byId)!["SubnetId"]);
        await cli.FailsWithAsync("InvalidSubnetID.NotFound", "ec2", "describe-subnets", "--subnet-ids", "subnet-0123456789abcdef0");

        var vpcs = (await cli.OkAsync("ec2", "describe-vpcs", "--filters", "Name=is-default,Values=true")).Json["Vpcs"]!.AsArray();
        Assert.Equal(net.VpcId, (string?)Assert.Single(vpcs)!["VpcId"]);
        var groups = (await cli.OkAsync("ec2", "describe-security-groups", "--group-ids", net.SecurityGroupId)).Json["SecurityGroups"]!.AsArray();
        Assert.Equal("default", (string?)Assert.Single(groups)!["GroupName"]);
    }
}

public sealed class SignatureCliTests
{
    [ToolFact("aws")]
    public async Task Wrong_secret_key_is_rejected_with_each_services_signature_error()
    {
        await using var sim = await CliScenario.StartAsync();
        var cli = new AwsCli(sim, secretAccessKey: "not-the-secret");
        var eks = await cli.FailsWithAsync("InvalidSignatureException", "eks", "list-clusters");
        Assert.Contains("signature we calculated does not match", eks.Stderr, StringComparison.Ordinal);
        await cli.FailsWithAsync("SignatureDoesNotMatch", "iam", "get-role", "--role-name", "x");
        await cli.FailsWithAsync("SignatureDoesNotMatch", "ec2", "describe-vpcs");
        Assert.All(sim.Calls.Entries(), c => Assert.Equal(403, c.StatusCode));
    }
}

public sealed class IamListRolesCliTests
{
    [ToolFact("aws")]
    public async Task List_roles_filters_by_path_prefix_and_pages_with_markers()
    {
        await using var sim = await CliScenario.StartAsync();
        var cli = new AwsCli(sim);
        // Seven roles: four under the operator's path, three under "/", one of them tagged (listing must not show tags).
        sim.Seed(new AwsSeed
        {
            Roles =
            [
                .. Enumerable.Range(1, 4).Select(i => new AwsSeedRole { Name = $"op-{i}", Path = "/eks-operator/", AssumeRolePolicyDocument = TestSim.NodeTrust }),
                new AwsSeedRole { Name = "plain-a", AssumeRolePolicyDocument = TestSim.ClusterTrust, Tags = new Dictionary<string, string> { ["team"] = "x" } },
                new AwsSeedRole { Name = "plain-b", AssumeRolePolicyDocument = TestSim.ClusterTrust },
                new AwsSeedRole { Name = "plain-c", Path = "/other/", AssumeRolePolicyDocument = TestSim.FargateTrust },
            ],
        });
        string[] all = ["op-1", "op-2", "op-3", "op-4", "plain-a", "plain-b", "plain-c"];

        var listed = (await cli.OkAsync("iam", "list-roles")).Json["Roles"]!.AsArray();
        Assert.Equal(all, listed.Select(r => (string)r!["RoleName"]!));
        var tagged = listed.Single(r => (string?)r!["RoleName"] == "plain-a")!;
        Assert.Equal("arn:aws:iam::123456789012:role/plain-a", (string?)tagged["Arn"]);
        Assert.Equal("eks.amazonaws.com", (string?)tagged["AssumeRolePolicyDocument"]!["Statement"]![0]!["Principal"]!["Service"]);
        Assert.Null(tagged["Tags"]);
        Assert.Null(tagged["RoleLastUsed"]);
        Assert.Equal(1, sim.Calls.Count("iam:ListRoles"));

        var underOperator = (await cli.OkAsync("iam", "list-roles", "--path-prefix", "/eks-operator/")).Json["Roles"]!.AsArray();
        Assert.Equal(["op-1", "op-2", "op-3", "op-4"], underOperator.Select(r => (string)r!["RoleName"]!));
        Assert.All(underOperator, r => Assert.Equal("/eks-operator/", (string?)r!["Path"]));
        Assert.Empty((await cli.OkAsync("iam", "list-roles", "--path-prefix", "/nothing-here/")).Json["Roles"]!.AsArray());
        await cli.FailsWithAsync("ValidationError", "iam", "list-roles", "--path-prefix", "no-leading-slash");

        // --page-size: the CLI follows IsTruncated/Marker to the end (7 roles in pages of 2 = 4 calls).
        var before = sim.Calls.Count("iam:ListRoles");
        var paged = (await cli.OkAsync("iam", "list-roles", "--page-size", "2")).Json["Roles"]!.AsArray();
        Assert.Equal(all, paged.Select(r => (string)r!["RoleName"]!));
        Assert.Equal(4, sim.Calls.Count("iam:ListRoles") - before);

        // --max-items: the CLI stops after 3 and hands back a token that resumes where it stopped.
        var first = (await cli.OkAsync("iam", "list-roles", "--max-items", "3", "--page-size", "2")).Json;
        Assert.Equal(["op-1", "op-2", "op-3"], first["Roles"]!.AsArray().Select(r => (string)r!["RoleName"]!));
        var token = (string)first["NextToken"]!;
        var rest = (await cli.OkAsync("iam", "list-roles", "--starting-token", token, "--page-size", "2")).Json;
        Assert.Equal(["op-4", "plain-a", "plain-b", "plain-c"], rest["Roles"]!.AsArray().Select(r => (string)r!["RoleName"]!));
        Assert.Null(rest["NextToken"]);

        // Prefix and paging together.
        var prefixedPage = (await cli.OkAsync("iam", "list-roles", "--path-prefix", "/eks-operator/", "--max-items", "3")).Json;
        Assert.Equal(["op-1", "op-2", "op-3"], prefixedPage["Roles"]!.AsArray().Select(r => (string)r!["RoleName"]!));
        Assert.NotNull(prefixedPage["NextToken"]);
    }
}

public sealed class IamRoleDetailCliTests
{
    private const string ReadLogs = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"logs:GetLogEvents","Resource":"*"}]}""";

    [ToolFact("aws")]
    public async Task Inline_policies_tags_attached_policies_and_instance_profiles_of_a_role()
    {
        await using var sim = await CliScenario.StartAsync();
        var cli = new AwsCli(sim);
        sim.Seed(new AwsSeed
        {
            Roles =
            [
                new AwsSeedRole
                {
                    Name = "shop-spot-node",
                    AssumeRolePolicyDocument = TestSim.NodeTrust,
                    PolicyArns = ["arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy", "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy", "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly"],
                    Tags = new Dictionary<string, string> { ["eks.operator.dev/owner-uid"] = "u1", ["app.kubernetes.io/managed-by"] = "eks-operator", ["Name"] = "spot" },
                },
            ],
        });

        // Inline policies: none yet, then three, listed by name and paged.
        Assert.Empty((await cli.OkAsync("iam", "list-role-policies", "--role-name", "shop-spot-node")).Json["PolicyNames"]!.AsArray());
        foreach (var name in new[] { "read-logs", "audit", "metrics" })
        {
            await cli.OkAsync("iam", "put-role-policy", "--role-name", "shop-spot-node", "--policy-name", name, "--policy-document", ReadLogs);
        }

        var before = sim.Calls.Count("iam:ListRolePolicies");
        var names = (await cli.OkAsync("iam", "list-role-policies", "--role-name", "shop-spot-node", "--page-size", "2")).Json["PolicyNames"]!.AsArray();
        Assert.Equal(["audit", "metrics", "read-logs"], names.Select(n => (string)n!));
        Assert.Equal(2, sim.Calls.Count("iam:ListRolePolicies") - before);
        var firstName = (await cli.OkAsync("iam", "list-role-policies", "--role-name", "shop-spot-node", "--max-items", "1")).Json;
        Assert.Equal(["audit"], firstName["PolicyNames"]!.AsArray().Select(n => (string)n!));
        Assert.NotNull(firstName["NextToken"]);

        var inline = (await cli.OkAsync("iam", "get-role-policy", "--role-name", "shop-spot-node", "--policy-name", "audit")).Json;
        Assert.Equal("logs:GetLogEvents", (string?)inline["PolicyDocument"]!["Statement"]![0]!["Action"]);
        await cli.FailsWithAsync("NoSuchEntity", "iam", "get-role-policy", "--role-name", "shop-spot-node", "--policy-name", "absent");

        // Tags come back sorted by key, in pages when asked.
        var tags = (await cli.OkAsync("iam", "list-role-tags", "--role-name", "shop-spot-node", "--page-size", "1")).Json["Tags"]!.AsArray();
        Assert.Equal(["Name", "app.kubernetes.io/managed-by", "eks.operator.dev/owner-uid"], tags.Select(t => (string)t!["Key"]!));
        Assert.Equal(3, sim.Calls.Count("iam:ListRoleTags"));

        var attached = (await cli.OkAsync("iam", "list-attached-role-policies", "--role-name", "shop-spot-node", "--max-items", "2")).Json;
        Assert.Equal(["AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy"], attached["AttachedPolicies"]!.AsArray().Select(p => (string)p!["PolicyName"]!));
        Assert.NotNull(attached["NextToken"]);

        // No instance profiles in the simulator, but the answer has the model's shape (a required, empty list).
        var profiles = (await cli.OkAsync("iam", "list-instance-profiles-for-role", "--role-name", "shop-spot-node")).Json;
        Assert.Empty(profiles["InstanceProfiles"]!.AsArray());
        await cli.FailsWithAsync("NoSuchEntity", "iam", "list-instance-profiles-for-role", "--role-name", "nobody");
        await cli.FailsWithAsync("NoSuchEntity", "iam", "list-role-tags", "--role-name", "nobody");

        // IAM refuses to delete a role that still has inline policies, after the managed ones are detached.
        foreach (var arn in new[] { "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy", "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy", "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly" })
        {
            await cli.OkAsync("iam", "detach-role-policy", "--role-name", "shop-spot-node", "--policy-arn", arn);
        }

        var conflict = await cli.FailsWithAsync("DeleteConflict", "iam", "delete-role", "--role-name", "shop-spot-node");
        Assert.Contains("must delete policies first", conflict.Stderr, StringComparison.Ordinal);
        foreach (var name in new[] { "read-logs", "audit", "metrics" })
        {
            await cli.OkAsync("iam", "delete-role-policy", "--role-name", "shop-spot-node", "--policy-name", name);
        }

        await cli.OkAsync("iam", "delete-role", "--role-name", "shop-spot-node");
    }
}

public sealed class EksClusterVersionsCliTests
{
    [ToolFact("aws")]
    public async Task Describe_cluster_versions_lists_the_supported_versions_with_filters_and_paging()
    {
        await using var sim = await CliScenario.StartAsync();
        var cli = new AwsCli(sim);
        static string[] Versions(JsonNode json) => [.. json["clusterVersions"]!.AsArray().Select(v => (string)v!["clusterVersion"]!)];
        static DateTimeOffset Epoch(JsonNode seconds) => DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds.GetValue<double>() * 1000));

        // The default table: what CreateCluster accepts, newest first, 1.34 the default, three in standard support.
        var all = (await cli.OkAsync("eks", "describe-cluster-versions")).Json;
        Assert.Equal(["1.35", "1.34", "1.33", "1.32", "1.31"], Versions(all));
        var rows = all["clusterVersions"]!.AsArray().Select(v => v!).ToList();
        Assert.Equal(["1.34"], rows.Where(v => (bool)v["defaultVersion"]!).Select(v => (string)v["clusterVersion"]!));
        Assert.Equal(["STANDARD_SUPPORT", "STANDARD_SUPPORT", "STANDARD_SUPPORT", "EXTENDED_SUPPORT", "EXTENDED_SUPPORT"], rows.Select(v => (string)v["versionStatus"]!));
        Assert.All(rows, v =>
        {
            Assert.Equal("eks", (string?)v["clusterType"]);
            Assert.StartsWith("eks.", (string)v["defaultPlatformVersion"]!, StringComparison.Ordinal);
            Assert.StartsWith((string)v["clusterVersion"]! + ".", (string)v["kubernetesPatchVersion"]!, StringComparison.Ordinal);
            // restJson1 timestamps are epoch seconds; AWS CLI 1 prints them as received. 14 months standard, 12 extended.
            var release = Epoch(v["releaseDate"]!);
            var standard = Epoch(v["endOfStandardSupportDate"]!);
            var extended = Epoch(v["endOfExtendedSupportDate"]!);
            Assert.True(release < TimeProvider.System.GetUtcNow(), $"{v["clusterVersion"]} released in the future: {release}");
            Assert.Equal((release.AddMonths(14), standard.AddMonths(12)), (standard, extended));
        });

        var defaultOnly = (await cli.OkAsync("eks", "describe-cluster-versions", "--default-only")).Json;
        Assert.Equal(["1.34"], Versions(defaultOnly));
        Assert.True((bool)defaultOnly["clusterVersions"]![0]!["defaultVersion"]!);

        // Named versions come back whatever their support; unknown ones are simply absent.
        var named = (await cli.OkAsync("eks", "describe-cluster-versions", "--cluster-versions", "1.33", "1.29", "1.99")).Json;
        Assert.Equal(["1.33", "1.29"], Versions(named));
        Assert.Equal("UNSUPPORTED", (string?)named["clusterVersions"]![1]!["versionStatus"]);

        Assert.Equal(["1.35", "1.34", "1.33", "1.32", "1.31", "1.30", "1.29"], Versions((await cli.OkAsync("eks", "describe-cluster-versions", "--include-all")).Json));
        Assert.Equal(["1.32", "1.31"], Versions((await cli.OkAsync("eks", "describe-cluster-versions", "--version-status", "EXTENDED_SUPPORT")).Json));
        Assert.Equal(["1.30", "1.29"], Versions((await cli.OkAsync("eks", "describe-cluster-versions", "--status", "unsupported")).Json));
        await cli.FailsWithAsync("InvalidParameterException", "eks", "describe-cluster-versions", "--version-status", "RETIRED");

        // --page-size: the CLI follows nextToken (5 versions in pages of 2 = 3 calls); --max-items stops and resumes.
        var before = sim.Calls.Count("eks:DescribeClusterVersions");
        Assert.Equal(Versions(all), Versions((await cli.OkAsync("eks", "describe-cluster-versions", "--page-size", "2")).Json));
        Assert.Equal(3, sim.Calls.Count("eks:DescribeClusterVersions") - before);
        var firstTwo = (await cli.OkAsync("eks", "describe-cluster-versions", "--max-items", "2")).Json;
        Assert.Equal(["1.35", "1.34"], Versions(firstTwo));
        var rest = (await cli.OkAsync("eks", "describe-cluster-versions", "--starting-token", (string)firstTwo["NextToken"]!)).Json;
        Assert.Equal(["1.33", "1.32", "1.31"], Versions(rest));
    }
}
