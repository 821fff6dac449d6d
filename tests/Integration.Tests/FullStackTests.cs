using System.Text;
using k8s;
using EksOperator.Entities.V1Alpha1;

namespace EksOperator.Integration.Tests;

/// <summary>The operator against both simulators over real HTTP: a whole stack from nothing to Ready and back to nothing.</summary>
public sealed class FullStackTests
{
    [Fact]
    public async Task Cluster_two_node_groups_and_a_profile_converge_then_delete_in_order_leaving_nothing()
    {
        await using var env = await OperatorEnvironment.StartAsync();
        await RunAsync(env);
    }

    /// <summary>The scenario, against whatever API server the environment runs on (the simulator, or K3s).</summary>
    internal static async Task RunAsync(OperatorEnvironment env)
    {
        var subnets = env.Aws.DefaultNetwork.PrivateSubnetIds;
        await env.CreateAsync(Manifests.Cluster("platform", subnets));
        await env.CreateAsync(Manifests.NodeGroup("system", "platform"));
        await env.CreateAsync(Manifests.NodeGroup("batch", "platform", min: 0, max: 5, desired: 1));
        await env.CreateAsync(Manifests.Profile("jobs", "platform", subnets));

        var cluster = await env.ReadyAsync<EksCluster>("platform");
        await env.ReadyAsync<ManagedNodeGroup>("system");
        await env.ReadyAsync<ManagedNodeGroup>("batch");
        await env.ReadyAsync<FargateProfile>("jobs");

        Assert.Equal("ACTIVE", cluster.Status!.AwsStatus);
        Assert.Equal("1.33", cluster.Status.Version);
        Assert.NotNull(cluster.Status.Endpoint);
        Assert.Equal(subnets.Order(), cluster.Status.SubnetIds!.Order());
        Assert.Equal(1, env.Calls("eks:CreateCluster"));
        Assert.Equal(2, env.Calls("eks:CreateNodegroup"));
        Assert.Equal(1, env.Calls("eks:CreateFargateProfile"));
        Assert.Equal(4, env.Calls("iam:CreateRole"));
        Assert.Equal(0, env.Calls("eks:UpdateClusterConfig"));
        Assert.Equal(0, env.Calls("eks:UpdateNodegroupConfig"));

        var secret = await env.Client.CoreV1.ReadNamespacedSecretAsync("platform-kubeconfig", env.Namespace);
        var kubeconfig = Encoding.UTF8.GetString(secret.Data["value"]);
        Assert.Contains($"server: {cluster.Status.Endpoint}", kubeconfig, StringComparison.Ordinal);
        Assert.Contains("args: [eks, get-token, --cluster-name, platform, --region, us-west-2", kubeconfig, StringComparison.Ordinal);
        Assert.Equal("EksCluster", Assert.Single(secret.Metadata.OwnerReferences).Kind);

        await env.DeleteAsync<EksCluster>("platform");
        await OperatorEnvironment.EventuallyAsync(() => env.GetAsync<EksCluster>("platform"), c => c is null, "the EksCluster to be gone", TimeSpan.FromSeconds(90));
        Assert.Null(await env.GetAsync<ManagedNodeGroup>("system"));
        Assert.Null(await env.GetAsync<FargateProfile>("jobs"));

        var state = await env.AwsStateAsync();
        Assert.Empty(state["clusters"]!.AsArray());
        Assert.Empty(state["roles"]!.AsArray());

        // Children before the cluster, the cluster before its role.
        var log = env.Aws.Calls.Entries().Where(c => c.StatusCode is >= 200 and < 300).Select(c => $"{c.Service}:{c.Operation}").ToList();
        var deleteCluster = log.IndexOf("eks:DeleteCluster");
        Assert.True(deleteCluster > log.LastIndexOf("eks:DeleteNodegroup"), string.Join(",", log));
        Assert.True(deleteCluster > log.LastIndexOf("eks:DeleteFargateProfile"), string.Join(",", log));
        Assert.True(log.LastIndexOf("iam:DeleteRole") > deleteCluster, string.Join(",", log));
        Assert.Equal(1, env.Calls("eks:DeleteCluster"));
    }
}
