using System.Text.Json.Nodes;
using EksOperator.Entities.V1Alpha1;

namespace EksOperator.Integration.Tests;

/// <summary>EKS Auto Mode and the newer cluster settings on a running stack, against the simulators.</summary>
public sealed class AutoModeIntegrationTests
{
    private static JsonObject ClusterIn(JsonObject state, string name) =>
        state["clusters"]!.AsArray().OfType<JsonObject>().Single(c => (string?)c["name"] == name);

    private static JsonObject? RoleIn(JsonObject state, string name) =>
        state["roles"]!.AsArray().OfType<JsonObject>().SingleOrDefault(r => (string?)r["name"] == name);

    private static List<string> Policies(JsonObject role) => [.. role["attachedPolicies"]!.AsArray().Select(p => ((string)p!).Split('/')[^1]).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task Auto_mode_enabled_on_a_running_cluster_gets_its_roles_then_disabled_then_deleted_with_the_node_role()
    {
        await using var env = await OperatorEnvironment.StartAsync();
        var cluster = Manifests.Cluster("am", env.Aws.DefaultNetwork.PrivateSubnetIds);
        cluster.Spec.Access = new ClusterAccess { AuthenticationMode = AuthenticationMode.Api };
        cluster.Spec.AutoMode = new AutoMode { Enabled = false };
        await env.CreateAsync(cluster);
        await env.ReadyAsync<EksCluster>("am", TimeSpan.FromSeconds(90));
        Assert.Equal(0, env.Attempts("eks:UpdateClusterConfig"));

        await env.PatchSpecAsync<EksCluster>("am", new { autoMode = new { enabled = true } });
        var on = await env.EventuallyReadyAtAsync<EksCluster>("am", c => c.Status?.AutoModeNodeRoleArn is not null, TimeSpan.FromSeconds(90));
        Assert.EndsWith(":role/am-eks-auto-node", on.Status!.AutoModeNodeRoleArn, StringComparison.Ordinal);

        var state = await env.AwsStateAsync();
        var auto = ClusterIn(state, "am")["autoMode"]!;
        Assert.Equal((true, true, true), ((bool)auto["compute"]!, (bool)auto["blockStorage"]!, (bool)auto["elasticLoadBalancing"]!));
        Assert.Equal(on.Status.AutoModeNodeRoleArn, (string?)auto["nodeRoleArn"]);
        Assert.Equal(["general-purpose", "system"], auto["nodePools"]!.AsArray().Select(p => (string)p!));
        var nodeRole = RoleIn(state, "am-eks-auto-node")!;
        Assert.Equal(["AmazonEC2ContainerRegistryPullOnly", "AmazonEKSWorkerNodeMinimalPolicy"], Policies(nodeRole));
        Assert.Contains("ec2.amazonaws.com", (string)nodeRole["assumeRolePolicyDocument"]!, StringComparison.Ordinal);
        Assert.Equal("eks-operator", (string?)nodeRole["tags"]!["app.kubernetes.io/managed-by"]);
        var clusterRole = RoleIn(state, "am-eks-cluster")!;
        Assert.Equal(
            ["AmazonEKSBlockStoragePolicy", "AmazonEKSClusterPolicy", "AmazonEKSComputePolicy", "AmazonEKSLoadBalancingPolicy", "AmazonEKSNetworkingPolicy"],
            Policies(clusterRole));
        Assert.Contains("sts:TagSession", (string)clusterRole["assumeRolePolicyDocument"]!, StringComparison.Ordinal);
        // The whole trio once, and never sent again. A refusal other than "the new node role has not propagated yet" (a
        // retry) would have Stalled the cluster: "No changes needed" and "type ... not provided" never happen.
        Assert.Equal(1, env.Calls("eks:UpdateClusterConfig"));
        Assert.Equal(1, env.Calls("iam:UpdateAssumeRolePolicy"));

        await env.PatchSpecAsync<EksCluster>("am", new { autoMode = new { enabled = false } });
        await env.EventuallyReadyAtAsync<EksCluster>("am", _ => true, TimeSpan.FromSeconds(90));
        var off = ClusterIn(await env.AwsStateAsync(), "am")["autoMode"]!;
        Assert.Equal((false, false, false), ((bool)off["compute"]!, (bool)off["blockStorage"]!, (bool)off["elasticLoadBalancing"]!));
        await env.AnnotateAsync<EksCluster>("am", Entities.Annotations.ReconcileRequestedAt, "now");
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(2, env.Calls("eks:UpdateClusterConfig"));

        await env.DeleteAsync<EksCluster>("am");
        await OperatorEnvironment.EventuallyAsync(() => env.GetAsync<EksCluster>("am"), c => c is null, "deleted", TimeSpan.FromSeconds(90));
        var after = await env.AwsStateAsync();
        Assert.Null(RoleIn(after, "am-eks-auto-node"));
        Assert.Null(RoleIn(after, "am-eks-cluster"));
    }

    [Fact]
    public async Task A_cluster_with_the_newer_settings_is_created_with_them_then_changed_in_place_one_update_at_a_time()
    {
        await using var env = await OperatorEnvironment.StartAsync();
        var cluster = Manifests.Cluster("hy", env.Aws.DefaultNetwork.PrivateSubnetIds);
        cluster.Spec.ZonalShift = new ZonalShift { Enabled = true };
        cluster.Spec.ControlPlaneScaling = new ControlPlaneScaling { Tier = ControlPlaneTier.TierXl };
        cluster.Spec.RemoteNetwork = new RemoteNetwork { RemoteNodeNetworks = [new RemoteCidrs { Cidrs = ["10.200.0.0/16"] }] };
        await env.CreateAsync(cluster);
        await env.CreateAsync(new ManagedNodeGroup
        {
            Metadata = new() { Name = "gpu" },
            Spec = new ManagedNodeGroupSpec
            {
                ClusterRef = new() { Name = "hy" },
                Scaling = new NodeGroupScaling { MinSize = 1, MaxSize = 2, DesiredSize = 1 },
                NodeRepair = new NodeRepair { Enabled = true },
                UpdateConfig = new NodeGroupUpdateConfig { MaxUnavailable = 1, UpdateStrategy = NodeGroupUpdateStrategy.Minimal },
            },
        });
        await env.ReadyAsync<EksCluster>("hy", TimeSpan.FromSeconds(90));
        await env.ReadyAsync<ManagedNodeGroup>("gpu", TimeSpan.FromSeconds(90));
        var created = ClusterIn(await env.AwsStateAsync(), "hy");
        Assert.Equal((true, "tier-xl", "10.200.0.0/16"), ((bool)created["zonalShift"]!, (string?)created["controlPlaneTier"], (string?)created["remoteNodeCidrs"]![0]));
        var ng = created["nodegroups"]!.AsArray().OfType<JsonObject>().Single();
        Assert.Equal(("MINIMAL", true), ((string?)ng["updateStrategy"], (bool)ng["nodeRepair"]!));
        Assert.Equal(0, env.Attempts("eks:UpdateClusterConfig"));

        await env.PatchSpecAsync<EksCluster>("hy", new
        {
            zonalShift = new { enabled = false },
            controlPlaneScaling = new { tier = "tier-2xl" },
            remoteNetwork = new { remoteNodeNetworks = new[] { new { cidrs = new[] { "10.200.0.0/16", "192.168.10.0/24" } } }, remotePodNetworks = new[] { new { cidrs = new[] { "10.201.0.0/16" } } } },
        });
        await env.PatchSpecAsync<ManagedNodeGroup>("gpu", new { nodeRepair = new { enabled = false }, updateConfig = new { maxUnavailable = 1, updateStrategy = "DEFAULT" } });
        await env.EventuallyReadyAtAsync<EksCluster>("hy", _ => true, TimeSpan.FromSeconds(90));
        await env.EventuallyReadyAtAsync<ManagedNodeGroup>("gpu", _ => true, TimeSpan.FromSeconds(90));

        var state = await env.AwsStateAsync();
        var changed = ClusterIn(state, "hy");
        Assert.Equal((false, "tier-2xl"), ((bool)changed["zonalShift"]!, (string?)changed["controlPlaneTier"]));
        Assert.Equal(["10.200.0.0/16", "192.168.10.0/24"], changed["remoteNodeCidrs"]!.AsArray().Select(c => (string)c!));
        Assert.Equal(["10.201.0.0/16"], changed["remotePodCidrs"]!.AsArray().Select(c => (string)c!));
        // Three settings: three updates of their own types. (A call EKS answers "update in progress" under load is waited
        // out; a partial or no-op body would have Stalled the cluster.)
        Assert.Equal(["ZonalShiftConfigUpdate", "ControlPlaneScalingConfigUpdate", "RemoteNetworkConfigUpdate"],
            changed["updates"]!.AsArray().OfType<JsonObject>().Where(u => u["nodegroup"] is null).Select(u => (string)u["type"]!));
        Assert.Equal(3, env.Calls("eks:UpdateClusterConfig"));
        var group = changed["nodegroups"]!.AsArray().OfType<JsonObject>().Single();
        Assert.Equal(("DEFAULT", false), ((string?)group["updateStrategy"], (bool)group["nodeRepair"]!));
        Assert.Equal(1, env.Calls("eks:UpdateNodegroupConfig"));
    }
}
