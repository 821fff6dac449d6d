using System.Text.Json;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Hosting;
using EksOperator.Simulators.Aws;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;

namespace EksOperator.Integration.Tests;

/// <summary>
/// Two shards (a and b), each an operator host with leader election on its own Lease and its own AWS access key (so
/// the AWS simulator's call log says which shard made each call): each converges its own clusters and no object is
/// acted on by both; then a cluster relabelled from a to b, with a spec change in the same write, is handed over: it
/// ends Ready under b with status.shard b, b made the change, and a made no call for it once b had begun.
/// </summary>
public sealed class ShardingTests
{
    private static readonly string[] Shards = ["a", "b"];

    [Fact]
    public async Task Two_shards_converge_their_own_clusters_and_a_relabelled_cluster_is_handed_over_without_overlap()
    {
        await using var env = await OperatorEnvironment.StartAsync(startOperator: false);
        var keys = Shards.ToDictionary(s => s, _ => env.Aws.AddAccessKey(), StringComparer.Ordinal);
        var hosts = new List<WebApplication>();
        try
        {
            foreach (var shard in Shards)
            {
                var host = OperatorHost.Build(env.OperatorArguments(
                    $"--Operator:Shard={shard}",
                    "--Runtime:LeaderElection:Enabled=true",
                    $"--Runtime:LeaderElection:Identity=shard-{shard}-1",
                    "--Runtime:LeaderElection:LeaseNamespace=default",
                    "--Runtime:LeaderElection:LeaseDuration=00:00:05",
                    "--Runtime:LeaderElection:RenewDeadline=00:00:03",
                    "--Runtime:LeaderElection:RetryPeriod=00:00:00.500",
                    $"--Aws:AccessKeyId={keys[shard].AccessKeyId}",
                    $"--Aws:SecretAccessKey={keys[shard].SecretAccessKey}"));
                await host.StartAsync();
                hosts.Add(host);
            }

            var subnets = env.Aws.DefaultNetwork.PrivateSubnetIds;
            var clusters = new Dictionary<string, string>(StringComparer.Ordinal) { ["alpha"] = "a", ["amber"] = "a", ["bravo"] = "b" };
            foreach (var (name, shard) in clusters)
            {
                await env.CreateAsync(Labelled(Manifests.Cluster(name, subnets), shard));
            }

            // A child carries its cluster's shard label.
            await env.CreateAsync(Labelled(Manifests.NodeGroup("alpha-ng", "alpha"), "a"));
            foreach (var (name, shard) in clusters)
            {
                Assert.Equal(shard, (await env.ReadyAsync<EksCluster>(name, TimeSpan.FromSeconds(90))).Status!.Shard);
            }

            Assert.Equal("a", (await env.ReadyAsync<ManagedNodeGroup>("alpha-ng", TimeSpan.FromSeconds(90))).Status!.Shard);

            // Every EKS call for a cluster (and its children) was signed by its own shard's key, none by the other's.
            var log = env.Aws.Calls.Entries();
            foreach (var (name, shard) in clusters)
            {
                var callers = log.Where(c => About(c, name)).Select(c => ShardOf(c, keys)).Distinct().ToList();
                Assert.Equal([shard], callers);
            }

            // Relabel amber from a to b and change its tags in the same write: a's filtered watch sees it leave, b's
            // sees it arrive; b waits until a has released it, then acts.
            var mark = log.Count;
            await env.Client.CustomObjects.PatchNamespacedCustomObjectAsync(
                new V1Patch(JsonSerializer.Serialize(new
                {
                    metadata = new { labels = new Dictionary<string, string> { [Labels.Shard] = "b" } },
                    spec = new { tags = new Dictionary<string, string> { ["team"] = "platform", ["moved"] = "to-b" } },
                }), V1Patch.PatchType.MergePatch),
                OperatorApi.Group, OperatorApi.Version, env.Namespace, OperatorApi.Plurals.EksClusters, "amber");

            var moved = await env.EventuallyReadyAtAsync<EksCluster>("amber", c => c.Status!.Shard == "b" && c.Metadata.Generation == c.Status.ObservedGeneration
                && env.Aws.Calls.Entries().Skip(mark).Any(call => About(call, "amber") && call.Operation == "TagResource" && ShardOf(call, keys) == "b"), TimeSpan.FromSeconds(60));
            Assert.Equal("b", moved.Status!.Shard);
            // a's replica held its Lease throughout: b took amber over because a released it, not because a had gone.
            Assert.Equal("shard-a-1", (await env.Client.CoordinationV1.ReadNamespacedLeaseAsync("eks-operator-leader-a", "default")).Spec.HolderIdentity);
            Assert.Equal("shard-b-1", (await env.Client.CoordinationV1.ReadNamespacedLeaseAsync("eks-operator-leader-b", "default")).Spec.HolderIdentity);

            var after = env.Aws.Calls.Entries().Skip(mark).Where(c => About(c, "amber")).ToList();
            var firstOfB = after.FindIndex(c => ShardOf(c, keys) == "b");
            Assert.True(firstOfB >= 0, "b made no call for amber");
            Assert.DoesNotContain(after, c => ShardOf(c, keys) == "a" && OperatorEnvironment.Mutates(c));
            // Never both: whatever a still had in flight for amber ended before b's first call for it.
            Assert.DoesNotContain(after.Skip(firstOfB), c => ShardOf(c, keys) == "a");
            Assert.Equal(1, after.Count(c => c.Operation == "TagResource" && c.StatusCode is >= 200 and < 300));

            // The clusters that stayed keep their shard's key alone.
            foreach (var (name, shard) in clusters.Where(c => c.Key != "amber"))
            {
                Assert.Equal([shard], env.Aws.Calls.Entries().Where(c => About(c, name)).Select(c => ShardOf(c, keys)).Distinct().ToList());
            }
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.StopAsync();
                await host.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Two_shards_and_two_accounts_each_shard_converges_its_accounts_clusters_and_none_acts_for_the_other()
    {
        await using var env = await OperatorEnvironment.StartAsync(new AwsSimulatorOptions { Accounts = 2 }, false, null);
        var (accountA, accountB) = (env.Aws.Accounts[0], env.Aws.Accounts[1]);
        var keys = Shards.ToDictionary(s => s, _ => env.Aws.AddAccessKey(), StringComparer.Ordinal);
        env.Aws.Seed(accountB.Id, new AwsSeed
        {
            Roles = [new AwsSeedRole
            {
                Name = "eks-operator-b",
                AssumeRolePolicyDocument = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::ACCOUNT:root"},"Action":"sts:AssumeRole"}]}""".Replace("ACCOUNT", accountA.Id, StringComparison.Ordinal),
            }],
        });
        const string TeamB = "team-b";
        await env.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = TeamB } });
        await env.Client.CustomObjects.CreateClusterCustomObjectAsync(new AwsIdentity
        {
            Metadata = new V1ObjectMeta { Name = "team-b" },
            Spec = new AwsIdentitySpec { RoleArn = $"arn:aws:iam::{accountB.Id}:role/eks-operator-b", NamespaceSelector = new NamespaceSelector { MatchNames = [TeamB] } },
        }, OperatorApi.Group, OperatorApi.Version, OperatorApi.Plurals.AwsIdentities);
        var hosts = new List<WebApplication>();
        try
        {
            foreach (var shard in Shards)
            {
                var host = OperatorHost.Build(env.OperatorArguments(
                    $"--Operator:Shard={shard}",
                    $"--Aws:AccessKeyId={keys[shard].AccessKeyId}",
                    $"--Aws:SecretAccessKey={keys[shard].SecretAccessKey}"));
                await host.StartAsync();
                hosts.Add(host);
            }

            // Shard a: account A's clusters in the default namespace; shard b: account B's, in team-b.
            foreach (var name in new[] { "a1", "a2" }) await env.CreateAsync(Labelled(Manifests.Cluster(name, env.Aws.DefaultNetworkOf(accountA.Id).PrivateSubnetIds), "a"));
            foreach (var name in new[] { "b1", "b2" })
            {
                var cluster = Labelled(Manifests.Cluster(name, env.Aws.DefaultNetworkOf(accountB.Id).PrivateSubnetIds), "b");
                cluster.Metadata.NamespaceProperty = TeamB;
                await env.Client.CustomObjects.CreateNamespacedCustomObjectAsync(cluster, OperatorApi.Group, OperatorApi.Version, TeamB, OperatorApi.Plurals.EksClusters);
            }

            foreach (var name in new[] { "a1", "a2" })
            {
                var ready = await env.ReadyAsync<EksCluster>(name, TimeSpan.FromSeconds(90));
                Assert.Equal("a", ready.Status!.Shard);
                Assert.Contains($":{accountA.Id}:cluster/{name}", ready.Status.Arn, StringComparison.Ordinal);
            }

            foreach (var name in new[] { "b1", "b2" })
            {
                var ready = await OperatorEnvironment.EventuallyAsync(async () =>
                {
                    var obj = await env.Client.CustomObjects.GetNamespacedCustomObjectAsync(OperatorApi.Group, OperatorApi.Version, TeamB, OperatorApi.Plurals.EksClusters, name);
                    return KubernetesJson.Deserialize<EksCluster>(JsonSerializer.Serialize(obj));
                }, OperatorEnvironment.IsReady, $"{name} Ready", TimeSpan.FromSeconds(90));
                Assert.Equal(("b", accountB.Id), (ready!.Status!.Shard, ready.Status.Identity!.AccountId));
                Assert.Contains($":{accountB.Id}:cluster/{name}", ready.Status.Arn, StringComparison.Ordinal);
            }

            var log = env.Aws.Calls.Entries();
            // Account A's clusters: only shard a's key. Account B: only sessions shard b assumed (STS saw b's key alone).
            foreach (var name in new[] { "a1", "a2" }) Assert.Equal(["a"], log.Where(c => About(c, name)).Select(c => ShardOf(c, keys)).Distinct().ToList());
            var assumers = log.Where(c => c.Operation == "AssumeRole").Select(c => ShardOf(c, keys)).Distinct().ToList();
            Assert.Equal(["b"], assumers);
            Assert.All(log.Where(c => c.Account == accountB.Id && c.Service != "sts"), c => Assert.StartsWith("ASIA", c.AccessKeyId, StringComparison.Ordinal));
            Assert.DoesNotContain(log, c => c.Account == accountA.Id && (About(c, "b1") || About(c, "b2")));
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.StopAsync();
                await host.DisposeAsync();
            }
        }
    }

    private static T Labelled<T>(T obj, string shard)
        where T : IEksResource
    {
        obj.Metadata.Labels = new Dictionary<string, string> { [Labels.Shard] = shard };
        return obj;
    }

    /// <summary>An EKS call about the cluster <paramref name="name"/> or one of its children (by name or ARN).</summary>
    private static bool About(AwsCall call, string name) =>
        call.Service == "eks" && call.Resource is { } r
        && (r == name || r.StartsWith(name + "/", StringComparison.Ordinal) || r.Contains($":cluster/{name}", StringComparison.Ordinal)
            || r.Contains($"/{name}/", StringComparison.Ordinal));

    private static string ShardOf(AwsCall call, Dictionary<string, AwsAccount> keys) =>
        keys.FirstOrDefault(k => k.Value.AccessKeyId == call.AccessKeyId).Key ?? $"unknown key {call.AccessKeyId}";
}
