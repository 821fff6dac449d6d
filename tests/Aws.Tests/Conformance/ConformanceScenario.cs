using System.Text.Json.Nodes;
using EksOperator.Aws.Ec2;
using EksOperator.Aws.Eks;
using EksOperator.Aws.Iam;
using EksOperator.Aws.Mapping;

namespace EksOperator.Aws.Tests.Conformance;

/// <summary>The create/describe/list/delete paths the operator uses, run through our clients against any backend.</summary>
internal static class ConformanceScenario
{
    private const string ClusterPolicy = "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy";
    private const string WorkerPolicy = "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy";
    private const string FargatePolicy = "arn:aws:iam::aws:policy/AmazonEKSFargatePodExecutionRolePolicy";
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(30);

    public static async Task IamRoleLifecycleAsync(AwsBackend backend)
    {
        var iam = backend.Iam;
        var name = "conformance-" + Guid.NewGuid().ToString("N")[..12];
        var trust = TrustPolicy("eks.amazonaws.com");

        var created = await iam.CreateRoleAsync(new CreateRoleRequest
        {
            RoleName = name,
            AssumeRolePolicyDocument = trust,
            Description = "conformance role",
            Tags = new Dictionary<string, string> { ["eks-operator/owner-uid"] = "uid-1" },
        });
        Assert.Equal(name, created.RoleName);
        Assert.EndsWith(":role/" + name, created.Arn, StringComparison.Ordinal);

        var read = await iam.GetRoleAsync(name);
        Assert.NotNull(read);
        Assert.Equal(created.Arn, read.Arn);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(trust), JsonNode.Parse(read.AssumeRolePolicyDocument!)), read.AssumeRolePolicyDocument);
        Assert.Equal("uid-1", read.Tags["eks-operator/owner-uid"]);
        Assert.NotNull(read.CreateDate);

        var duplicate = await Assert.ThrowsAsync<AwsApiException>(() => iam.CreateRoleAsync(new CreateRoleRequest { RoleName = name, AssumeRolePolicyDocument = trust }));
        Assert.Equal(("EntityAlreadyExists", AwsErrorKind.AlreadyExists), (duplicate.Code, duplicate.Kind));

        await iam.TagRoleAsync(name, new Dictionary<string, string> { ["team"] = "platform" });
        Assert.Equal("platform", (await iam.GetRoleAsync(name))!.Tags["team"]);

        await iam.AttachRolePolicyAsync(name, ClusterPolicy);
        Assert.Contains(ClusterPolicy, (await iam.ListAttachedRolePoliciesAsync(name)).AttachedPolicies.Select(p => p.PolicyArn));

        var conflict = await Assert.ThrowsAsync<AwsApiException>(() => iam.DeleteRoleAsync(name));
        Assert.Equal(("DeleteConflict", AwsErrorKind.InUse), (conflict.Code, conflict.Kind));

        await iam.DetachRolePolicyAsync(name, ClusterPolicy);
        Assert.Empty((await iam.ListAttachedRolePoliciesAsync(name)).AttachedPolicies);
        await iam.DeleteRoleAsync(name);
        Assert.Null(await iam.GetRoleAsync(name));

        var missing = await Assert.ThrowsAsync<AwsApiException>(() => iam.DeleteRoleAsync(name));
        Assert.Equal(("NoSuchEntity", AwsErrorKind.NotFound), (missing.Code, missing.Kind));
    }

    public static async Task Ec2DiscoveryAsync(AwsBackend backend)
    {
        var network = await backend.PrepareNetwork();
        var ec2 = backend.Ec2;

        var vpc = Assert.Single(await ec2.DescribeVpcsAsync(new Ec2VpcQuery { VpcIds = [network.VpcId] }));
        Assert.Equal("available", vpc.State);
        Assert.NotEmpty(vpc.CidrBlock);
        Assert.Contains(await ec2.DescribeVpcsAsync(new Ec2VpcQuery { IsDefault = true }), v => v.IsDefault);

        var privateSubnets = await ec2.DescribeSubnetsAsync(new Ec2SubnetQuery
        {
            VpcId = network.VpcId,
            Tags = new Dictionary<string, string?> { ["kubernetes.io/role/internal-elb"] = "1" },
        });
        Assert.Equal(network.PrivateSubnetIds.Order(), privateSubnets.Select(s => s.SubnetId).Order());
        Assert.All(privateSubnets, s => Assert.Equal(network.VpcId, s.VpcId));
        Assert.True(privateSubnets.Select(s => s.AvailabilityZone).Distinct().Count() >= 2);

        var tagged = await ec2.DescribeSubnetsAsync(new Ec2SubnetQuery { VpcId = network.VpcId, Tags = new Dictionary<string, string?> { ["kubernetes.io/role/elb"] = null } });
        Assert.Equal(network.PublicSubnetIds.Order(), tagged.Select(s => s.SubnetId).Order());

        var byId = await ec2.DescribeSubnetsAsync(new Ec2SubnetQuery { SubnetIds = [.. network.PublicSubnetIds] });
        Assert.Equal(network.PublicSubnetIds.Order(), byId.Select(s => s.SubnetId).Order());
        Assert.All(byId, s => Assert.Equal("1", s.Tags["kubernetes.io/role/elb"]));

        var groups = await ec2.DescribeSecurityGroupsAsync(new Ec2SecurityGroupQuery { VpcId = network.VpcId });
        var defaultGroup = Assert.Single(groups, g => g.GroupName == "default");
        Assert.Equal(defaultGroup.GroupId, Assert.Single(await ec2.DescribeSecurityGroupsAsync(new Ec2SecurityGroupQuery { GroupIds = [defaultGroup.GroupId] })).GroupId);

        var missing = await Assert.ThrowsAsync<AwsApiException>(() => ec2.DescribeSubnetsAsync(new Ec2SubnetQuery { SubnetIds = ["subnet-0123456789abcdef0"] }));
        Assert.Equal(("InvalidSubnetID.NotFound", AwsErrorKind.NotFound), (missing.Code, missing.Kind));
    }

    public static async Task EksLifecycleAsync(AwsBackend backend)
    {
        var network = await backend.PrepareNetwork();
        var eks = backend.Eks;
        var suffix = Guid.NewGuid().ToString("N")[..10];
        var name = "conformance-" + suffix;
        var roles = await CreateRolesAsync(backend, suffix);
        try
        {
            var token = "eks-operator-" + Guid.NewGuid().ToString("N");
            var request = new CreateClusterRequest
            {
                Name = name,
                Version = "1.33",
                RoleArn = roles.Cluster,
                ResourcesVpcConfig = new VpcConfigRequest { SubnetIds = [.. network.PrivateSubnetIds.Take(2)], EndpointPublicAccess = true, EndpointPrivateAccess = true },
                ClientRequestToken = token,
                Tags = new Dictionary<string, string> { ["eks-operator/owner-uid"] = suffix },
            };
            var created = await eks.CreateClusterAsync(request);
            Assert.Equal(name, created.Name);
            Assert.Contains(created.Status, new[] { ClusterStatus.Creating, ClusterStatus.Active });

            var duplicate = await Assert.ThrowsAsync<AwsApiException>(() => eks.CreateClusterAsync(request with { ClientRequestToken = "eks-operator-" + Guid.NewGuid().ToString("N") }));
            Assert.Equal(("ResourceInUseException", AwsErrorKind.AlreadyExists), (duplicate.Code, duplicate.Kind));

            var active = await WaitForAsync(() => eks.DescribeClusterAsync(name), c => c?.Status == ClusterStatus.Active, "cluster ACTIVE");
            Assert.Equal("1.33", active!.Version);
            Assert.Equal(roles.Cluster, active.RoleArn);
            Assert.StartsWith("arn:aws:eks:us-west-2:", active.Arn, StringComparison.Ordinal);
            Assert.NotNull(active.CreatedAt);
            Assert.False(string.IsNullOrEmpty(active.Endpoint));
            Assert.Equal(network.PrivateSubnetIds.Take(2).Order(), active.ResourcesVpcConfig!.SubnetIds!.Order());
            Assert.Equal(suffix, active.Tags!["eks-operator/owner-uid"]);
            Assert.Contains(name, await ListAllClustersAsync(eks));

            await eks.TagResourceAsync(active.Arn!, new Dictionary<string, string> { ["extra"] = "1" });
            var tags = await eks.ListTagsForResourceAsync(active.Arn!);
            Assert.Equal(("1", suffix), (tags["extra"], tags["eks-operator/owner-uid"]));
            await eks.UntagResourceAsync(active.Arn!, ["extra"]);
            Assert.DoesNotContain("extra", (await eks.ListTagsForResourceAsync(active.Arn!)).Keys);

            var nodegroup = await eks.CreateNodegroupAsync(new CreateNodegroupRequest
            {
                ClusterName = name,
                NodegroupName = "ng-" + suffix,
                Subnets = [.. network.PrivateSubnetIds],
                NodeRole = roles.Node,
                ScalingConfig = new NodegroupScalingConfig { MinSize = 1, MaxSize = 3, DesiredSize = 2 },
                InstanceTypes = ["t3.medium"],
                Labels = new Dictionary<string, string> { ["team"] = "a" },
                Taints = [new Taint { Key = "dedicated", Value = "batch", Effect = TaintEffect.NoSchedule }],
                ClientRequestToken = "eks-operator-" + Guid.NewGuid().ToString("N"),
                Tags = new Dictionary<string, string> { ["eks-operator/owner-uid"] = suffix },
            });
            Assert.Equal("ng-" + suffix, nodegroup.NodegroupName);
            var readyNodegroup = await WaitForAsync(() => eks.DescribeNodegroupAsync(name, "ng-" + suffix), n => n?.Status == NodegroupStatus.Active, "node group ACTIVE");
            Assert.Equal((1, 3, 2), (readyNodegroup!.ScalingConfig!.MinSize, readyNodegroup.ScalingConfig.MaxSize, readyNodegroup.ScalingConfig.DesiredSize));
            Assert.Equal("a", readyNodegroup.Labels!["team"]);
            Assert.Equal(TaintEffect.NoSchedule, Assert.Single(readyNodegroup.Taints!).Effect);
            Assert.Equal(roles.Node, readyNodegroup.NodeRole);
            Assert.Contains("ng-" + suffix, (await eks.ListNodegroupsAsync(new ListNodegroupsRequest { ClusterName = name })).Nodegroups);

            var profile = await eks.CreateFargateProfileAsync(new CreateFargateProfileRequest
            {
                ClusterName = name,
                FargateProfileName = "fp-" + suffix,
                PodExecutionRoleArn = roles.Pod,
                Subnets = [.. network.PrivateSubnetIds],
                Selectors = [new FargateProfileSelector { Namespace = "apps", Labels = new Dictionary<string, string> { ["compute"] = "fargate" } }],
                ClientRequestToken = "eks-operator-" + Guid.NewGuid().ToString("N"),
            });
            Assert.Equal("fp-" + suffix, profile.FargateProfileName);
            var readyProfile = await WaitForAsync(() => eks.DescribeFargateProfileAsync(name, "fp-" + suffix), p => p?.Status == FargateProfileStatus.Active, "Fargate profile ACTIVE");
            Assert.Equal("apps", Assert.Single(readyProfile!.Selectors!).Namespace);
            Assert.Contains("fp-" + suffix, (await eks.ListFargateProfilesAsync(new ListFargateProfilesRequest { ClusterName = name })).FargateProfileNames);

            var inUse = await Assert.ThrowsAsync<AwsApiException>(() => eks.DeleteClusterAsync(name));
            Assert.Equal(("ResourceInUseException", AwsErrorKind.InUse), (inUse.Code, inUse.Kind));

            await eks.DeleteFargateProfileAsync(name, "fp-" + suffix);
            await WaitForAsync(() => eks.DescribeFargateProfileAsync(name, "fp-" + suffix), p => p is null, "Fargate profile gone");
            await eks.DeleteNodegroupAsync(name, "ng-" + suffix);
            await WaitForAsync(() => eks.DescribeNodegroupAsync(name, "ng-" + suffix), n => n is null, "node group gone");
            Assert.DoesNotContain("ng-" + suffix, (await eks.ListNodegroupsAsync(new ListNodegroupsRequest { ClusterName = name })).Nodegroups);

            var deleting = await eks.DeleteClusterAsync(name);
            Assert.Equal(name, deleting.Name);
            await WaitForAsync(() => eks.DescribeClusterAsync(name), c => c is null, "cluster gone");
            Assert.DoesNotContain(name, await ListAllClustersAsync(eks));
            var gone = await Assert.ThrowsAsync<AwsApiException>(() => eks.DeleteClusterAsync(name));
            Assert.Equal(AwsErrorKind.NotFound, gone.Kind);
        }
        finally
        {
            await DeleteRolesAsync(backend, roles);
        }
    }

    /// <summary>
    /// The versions EKS offers, as the operator will check a target version against them: some, one default, newest
    /// first, none unsupported, each with its support dates in order.
    /// </summary>
    public static async Task<IReadOnlyList<ClusterVersionInfo>> EksClusterVersionsAsync(AwsBackend backend)
    {
        var versions = await backend.Eks.DescribeClusterVersionsAsync();

        Assert.NotEmpty(versions);
        Assert.Single(versions, v => v.IsDefault);
        Assert.Equal(versions.Count, versions.Select(v => v.Version).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(versions.Select(v => Minor.Of(v.Version)).OrderDescending(), versions.Select(v => Minor.Of(v.Version)));
        Assert.All(versions, v =>
        {
            Assert.Contains(v.Support, new[] { KubernetesVersionSupport.Standard, KubernetesVersionSupport.Extended });
            Assert.True(v.EndOfStandardSupport < v.EndOfExtendedSupport, $"{v.Version}: standard support ends {v.EndOfStandardSupport}, extended {v.EndOfExtendedSupport}");
            Assert.False(string.IsNullOrEmpty(v.DefaultPlatformVersion), v.Version);
        });
        return versions;
    }

    /// <summary>Updates, which moto lacks: a version upgrade, a node group scaling change, and the errors AWS gives.</summary>
    public static async Task EksUpdatesAsync(AwsBackend backend)
    {
        var network = await backend.PrepareNetwork();
        var eks = backend.Eks;
        var suffix = Guid.NewGuid().ToString("N")[..10];
        var name = "updates-" + suffix;
        var roles = await CreateRolesAsync(backend, suffix);
        try
        {
            await eks.CreateClusterAsync(new CreateClusterRequest
            {
                Name = name,
                Version = "1.32",
                RoleArn = roles.Cluster,
                ResourcesVpcConfig = new VpcConfigRequest { SubnetIds = [.. network.PrivateSubnetIds.Take(2)] },
                ClientRequestToken = "eks-operator-" + Guid.NewGuid().ToString("N"),
            });
            await WaitForAsync(() => eks.DescribeClusterAsync(name), c => c?.Status == ClusterStatus.Active, "cluster ACTIVE");

            var skip = await Assert.ThrowsAsync<AwsApiException>(() => eks.UpdateClusterVersionAsync(new UpdateClusterVersionRequest { Name = name, Version = "1.34" }));
            Assert.Equal(("InvalidParameterException", AwsErrorKind.Invalid), (skip.Code, skip.Kind));

            var update = await eks.UpdateClusterVersionAsync(new UpdateClusterVersionRequest { Name = name, Version = "1.33", ClientRequestToken = "eks-operator-" + Guid.NewGuid().ToString("N") });
            Assert.Equal((UpdateStatus.InProgress, EksValues.UpdateTypes.VersionUpdate), (update.Status, update.Type));
            Assert.Contains(update.Params!, p => p.Type == "Version" && p.Value == "1.33");
            Assert.Contains(update.Id, (await eks.ListUpdatesAsync(new ListUpdatesRequest { Name = name })).UpdateIds);

            var second = await Assert.ThrowsAsync<AwsApiException>(() => eks.UpdateClusterConfigAsync(new UpdateClusterConfigRequest
            {
                Name = name,
                Logging = new Logging { ClusterLogging = [new LogSetup { Types = [EksValues.LogTypes.Api], Enabled = true }] },
            }));
            Assert.Equal(("ResourceInUseException", AwsErrorKind.InUse), (second.Code, second.Kind));

            var done = await WaitForAsync(() => eks.DescribeUpdateAsync(new DescribeUpdateRequest { Name = name, UpdateId = update.Id! }), u => u?.Status == UpdateStatus.Successful, "version update Successful");
            Assert.Equal(update.Id, done!.Id);
            var upgraded = await WaitForAsync(() => eks.DescribeClusterAsync(name), c => c?.Status == ClusterStatus.Active && c.Version == "1.33", "cluster 1.33 ACTIVE");
            Assert.Equal("1.33", upgraded!.Version);

            var logging = await eks.UpdateClusterConfigAsync(new UpdateClusterConfigRequest
            {
                Name = name,
                Logging = new Logging { ClusterLogging = [new LogSetup { Types = [EksValues.LogTypes.Api, EksValues.LogTypes.Audit], Enabled = true }] },
            });
            Assert.Equal(EksValues.UpdateTypes.LoggingUpdate, logging.Type);
            await WaitForAsync(() => eks.DescribeUpdateAsync(new DescribeUpdateRequest { Name = name, UpdateId = logging.Id! }), u => u?.Status == UpdateStatus.Successful, "logging update Successful");

            var ng = "ng-" + suffix;
            await eks.CreateNodegroupAsync(new CreateNodegroupRequest
            {
                ClusterName = name,
                NodegroupName = ng,
                Subnets = [.. network.PrivateSubnetIds],
                NodeRole = roles.Node,
                ScalingConfig = new NodegroupScalingConfig { MinSize = 1, MaxSize = 2, DesiredSize = 1 },
            });
            await WaitForAsync(() => eks.DescribeNodegroupAsync(name, ng), n => n?.Status == NodegroupStatus.Active, "node group ACTIVE");
            var scale = await eks.UpdateNodegroupConfigAsync(new UpdateNodegroupConfigRequest
            {
                ClusterName = name,
                NodegroupName = ng,
                ScalingConfig = new NodegroupScalingConfig { MinSize = 1, MaxSize = 4, DesiredSize = 3 },
                Labels = new UpdateLabelsPayload { AddOrUpdateLabels = new Dictionary<string, string> { ["tier"] = "web" } },
            });
            Assert.Equal(EksValues.UpdateTypes.ConfigUpdate, scale.Type);
            Assert.Contains(scale.Id, (await eks.ListUpdatesAsync(new ListUpdatesRequest { Name = name, NodegroupName = ng })).UpdateIds);
            await WaitForAsync(() => eks.DescribeUpdateAsync(new DescribeUpdateRequest { Name = name, UpdateId = scale.Id!, NodegroupName = ng }), u => u?.Status == UpdateStatus.Successful, "scaling update Successful");
            var scaled = await WaitForAsync(() => eks.DescribeNodegroupAsync(name, ng), n => n?.Status == NodegroupStatus.Active && n.ScalingConfig?.DesiredSize == 3, "node group scaled");
            Assert.Equal((4, "web"), (scaled!.ScalingConfig!.MaxSize, scaled.Labels!["tier"]));

            var ahead = await Assert.ThrowsAsync<AwsApiException>(() => eks.UpdateNodegroupVersionAsync(new UpdateNodegroupVersionRequest { ClusterName = name, NodegroupName = ng, Version = "1.34" }));
            Assert.Equal(AwsErrorKind.Invalid, ahead.Kind);

            await eks.DeleteNodegroupAsync(name, ng);
            await WaitForAsync(() => eks.DescribeNodegroupAsync(name, ng), n => n is null, "node group gone");
            await eks.DeleteClusterAsync(name);
            await WaitForAsync(() => eks.DescribeClusterAsync(name), c => c is null, "cluster gone");
        }
        finally
        {
            await DeleteRolesAsync(backend, roles);
        }
    }

    private sealed record Roles(string ClusterName, string Cluster, string NodeName, string Node, string PodName, string Pod);

    private static async Task<Roles> CreateRolesAsync(AwsBackend backend, string suffix)
    {
        async Task<string> CreateAsync(string name, string principal, string policy)
        {
            var role = await backend.Iam.CreateRoleAsync(new CreateRoleRequest { RoleName = name, AssumeRolePolicyDocument = TrustPolicy(principal) });
            await backend.Iam.AttachRolePolicyAsync(name, policy);
            return role.Arn;
        }

        var roles = new Roles(
            "cluster-" + suffix,
            await CreateAsync("cluster-" + suffix, "eks.amazonaws.com", ClusterPolicy),
            "node-" + suffix,
            await CreateAsync("node-" + suffix, "ec2.amazonaws.com", WorkerPolicy),
            "pod-" + suffix,
            await CreateAsync("pod-" + suffix, "eks-fargate-pods.amazonaws.com", FargatePolicy));

        // Like AWS, the simulator refuses a role EKS cannot assume yet; the operator would requeue, the test waits.
        if (backend.RolePropagation > TimeSpan.Zero)
        {
            await Task.Delay(backend.RolePropagation, TimeProvider.System);
        }

        return roles;
    }

    private static async Task DeleteRolesAsync(AwsBackend backend, Roles roles)
    {
        foreach (var name in new[] { roles.ClusterName, roles.NodeName, roles.PodName })
        {
            foreach (var policy in (await backend.Iam.ListAttachedRolePoliciesAsync(name)).AttachedPolicies)
            {
                await backend.Iam.DetachRolePolicyAsync(name, policy.PolicyArn);
            }

            await backend.Iam.DeleteRoleAsync(name);
        }
    }

    private static async Task<List<string>> ListAllClustersAsync(IEksApi eks)
    {
        var names = new List<string>();
        string? next = null;
        do
        {
            var page = await eks.ListClustersAsync(new ListClustersRequest { MaxResults = 100, NextToken = next });
            names.AddRange(page.Clusters);
            next = page.NextToken;
        }
        while (!string.IsNullOrEmpty(next));

        return names;
    }

    private static string TrustPolicy(string service) =>
        $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"{{service}}"},"Action":"sts:AssumeRole"}]}""";

    /// <summary>Polls like a reconciler's requeue would, bounded in time.</summary>
    private static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what)
    {
        var deadline = TimeProvider.System.GetUtcNow() + WaitLimit;
        var value = await read();
        while (!done(value))
        {
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, $"timed out waiting for {what}; last: {value}");
            await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System);
            value = await read();
        }

        return value;
    }
}
