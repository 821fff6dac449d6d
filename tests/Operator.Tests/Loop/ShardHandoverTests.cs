using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Operator.Tests.Support;
using EksOperator.Runtime;

namespace EksOperator.Operator.Tests.Loop;

/// <summary>
/// The pass frame's shard rules: each pass records its shard in status.shard; an object another live shard still
/// holds is not acted on until that shard releases it or its Lease lapses or changes hands; an object that left the
/// cache is released only if it still names this shard.
/// </summary>
public sealed class ShardHandoverTests
{
    private readonly Harness _h = new();

    [Fact]
    public async Task A_pass_records_the_shard_that_reconciles_the_object()
    {
        var cluster = await _h.ActiveClusterAsync();
        Assert.Equal(ShardingOptions.DefaultShard, cluster.Status!.Shard);

        var sharded = new Harness();
        sharded.Shards.Current = "a";
        Assert.Equal("a", (await sharded.ActiveClusterAsync()).Status!.Shard);
    }

    [Fact]
    public async Task An_object_is_claimed_once_before_anything_is_done_and_a_lost_claim_does_nothing()
    {
        _h.Apply(Objects.Cluster());
        _h.Shards.LoseClaims = true;

        Assert.Equal(ReconcileResult.RequeueAfter(_h.Options.MinPollInterval), await _h.ReconcileAsync<EksCluster>("c1"));
        Assert.Empty(_h.Eks.Calls);
        Assert.Null(_h.Get<EksCluster>("c1").Status);
        Assert.Null(_h.Get<EksCluster>("c1").Metadata.Finalizers);

        _h.Shards.LoseClaims = false;
        await _h.ActiveClusterAsync();
        await _h.ReconcileAsync<EksCluster>("c1");

        // One lost claim, then one claim (the finalizer write after it named the claimed version); none once it is ours.
        Assert.Equal(["EksCluster/default/c1 -> False", "EksCluster/default/c1 -> True"], _h.Shards.Claims);
        Assert.Contains(OperatorApi.Finalizer, _h.Get<EksCluster>("c1").Metadata.Finalizers!);
    }

    [Fact]
    public async Task While_the_old_shard_holds_its_Lease_the_new_shard_waits_without_calling_AWS()
    {
        await HeldByOtherShardAsync("a", holder: "a-replica-1");

        var result = await _h.ReconcileAsync<EksCluster>("c1");

        Assert.Empty(_h.Eks.Calls);
        Assert.Equal(ReconcileResult.RequeueAfter(_h.Options.MinPollInterval), result);
        var cluster = _h.Get<EksCluster>("c1");
        Assert.Equal("a", cluster.Status!.Shard);
        Assert.Equal("Reconciling=True/ShardHandover", Reconciling(cluster));
        Assert.Contains("shard a (its Lease held by a-replica-1) has not released it yet", cluster.Message(ConditionTypes.Reconciling), StringComparison.Ordinal);

        // Still held by the same replica: still waiting.
        await _h.ReconcileAsync<EksCluster>("c1");
        Assert.Empty(_h.Eks.Calls);
    }

    [Fact]
    public async Task Once_the_old_shard_released_it_the_new_shard_takes_it_over()
    {
        await HeldByOtherShardAsync("a", holder: "a-replica-1");
        await _h.ReconcileAsync<EksCluster>("c1");
        _h.SetStatus<EksCluster>("c1", c => c.Status!.Shard = null);

        await _h.ReconcileAsync<EksCluster>("c1");

        var cluster = _h.Get<EksCluster>("c1");
        Assert.Equal(ShardingOptions.DefaultShard, cluster.Status!.Shard);
        Assert.True(cluster.Status.Conditions.IsTrue(ConditionTypes.Ready), cluster.Kstatus());
        Assert.Contains("DescribeCluster", string.Join(",", _h.Eks.Calls), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lapsed_Lease_means_the_old_shard_is_gone_and_the_object_is_taken_over_at_once()
    {
        await HeldByOtherShardAsync("a", holder: "a-replica-1");
        _h.Shards.Leases["a"] = new ShardLease(Held: false, "a-replica-1");

        await _h.ReconcileAsync<EksCluster>("c1");

        Assert.Equal(ShardingOptions.DefaultShard, _h.Get<EksCluster>("c1").Status!.Shard);
        Assert.NotEmpty(_h.Eks.Calls);
    }

    [Fact]
    public async Task A_Lease_that_changed_hands_since_the_first_wait_ends_the_wait()
    {
        await HeldByOtherShardAsync("a", holder: "a-replica-1");
        await _h.ReconcileAsync<EksCluster>("c1");
        Assert.Empty(_h.Eks.Calls);

        // The replica that could have had a pass in flight lost its Lease; its successor never acts on an object
        // outside its selector.
        _h.Shards.Leases["a"] = new ShardLease(Held: true, "a-replica-2");
        await _h.ReconcileAsync<EksCluster>("c1");

        Assert.Equal(ShardingOptions.DefaultShard, _h.Get<EksCluster>("c1").Status!.Shard);
        Assert.NotEmpty(_h.Eks.Calls);
    }

    [Fact]
    public async Task An_object_gone_from_the_cache_is_released_in_the_name_of_this_shard()
    {
        _h.Shards.Current = "a";
        await _h.ActiveClusterAsync();
        _h.Kube.Store<EksCluster>().Remove(new ObjectKey(Harness.Ns, "c1")); // relabelled out of shard a (or deleted)

        Assert.Equal(ReconcileResult.Done, await _h.ReconcileAsync<EksCluster>("c1"));

        // The real release is a JSON patch whose test operation names shard a: it never clobbers a new owner's record.
        Assert.Equal(["EksCluster/default/c1 a -> False"], _h.Shards.Releases);
        Assert.Empty(_h.Eks.Calls);
    }

    [Fact]
    public async Task A_child_labelled_for_another_shard_than_its_cluster_says_why_it_cannot_find_the_cluster()
    {
        // Shard a's cache holds no EksCluster c1 (c1 is in another shard); its node group is labelled a.
        _h.Shards.Current = "a";
        _h.Apply(Objects.NodeGroup().With(n => n.Metadata.Labels = new Dictionary<string, string> { [Labels.Shard] = "a" }));
        _h.Time.Advance(_h.Options.ClusterNotFoundGracePeriod);

        await _h.ReconcileAsync<ManagedNodeGroup>("ng1");

        var ng = _h.Get<ManagedNodeGroup>("ng1");
        Assert.Equal("Ready=False/ClusterNotFound Reconciling=False/ClusterNotFound Stalled=True/ClusterNotFound", ng.Kstatus());
        Assert.Equal(
            "EksCluster c1 not found in namespace default among the objects of shard a (labelled eks.operator.dev/shard=a, as this ManagedNodeGroup is); "
            + "create it, fix spec.clusterRef.name, or give this ManagedNodeGroup the eks.operator.dev/shard label of its cluster (waited 2 min)",
            ng.Message(ConditionTypes.Stalled));
        Assert.Empty(_h.Eks.Calls);
    }

    /// <summary>c1 ACTIVE and in sync, recorded by <paramref name="shard"/>, whose Lease <paramref name="holder"/> holds; this replica is the default shard.</summary>
    private async Task HeldByOtherShardAsync(string shard, string holder)
    {
        await _h.ActiveClusterAsync();
        _h.SetStatus<EksCluster>("c1", c => c.Status!.Shard = shard);
        _h.Shards.Leases[shard] = new ShardLease(Held: true, holder);
        _h.Forget();
    }

    private static string Reconciling(EksCluster cluster) =>
        cluster.Condition(ConditionTypes.Reconciling) is { } c ? $"{c.Type}={c.Status}/{c.Reason}" : "-";
}
