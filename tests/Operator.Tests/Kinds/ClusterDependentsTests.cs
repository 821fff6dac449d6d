using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Operator.Tests.Support;
using EksOperator.Runtime;
using k8s.Models;

namespace EksOperator.Operator.Tests.Kinds;

/// <summary>A child of a cluster: finding it, waiting for it, the grace period for a missing one, the owner reference.</summary>
public sealed class ClusterDependentsTests
{
    [Fact]
    public async Task A_missing_cluster_is_waited_for_during_the_grace_period_then_stalls_as_ClusterNotFound()
    {
        var h = new Harness();
        h.Apply(Objects.NodeGroup());

        var waiting = await h.ReconcileAsync<ManagedNodeGroup>("ng1");

        var ng = h.Get<ManagedNodeGroup>("ng1");
        Assert.Equal("Ready=False/WaitingForCluster Reconciling=True/WaitingForCluster Stalled=False/NotStalled", ng.Kstatus());
        Assert.Equal("EksCluster c1 not found in namespace default; create it or fix spec.clusterRef.name", ng.Message());
        Assert.Equal(ReconcileResult.RequeueAfter(TimeSpan.FromMinutes(2)), waiting);
        Assert.Empty(h.Eks.Calls);
        Assert.Null(ng.Metadata.Finalizers);

        h.Time.Advance(TimeSpan.FromSeconds(80));
        Assert.Equal(ReconcileResult.RequeueAfter(TimeSpan.FromSeconds(40)), await h.ReconcileAsync<ManagedNodeGroup>("ng1"));

        h.Time.Advance(TimeSpan.FromSeconds(40));
        var stalled = await h.ReconcileAsync<ManagedNodeGroup>("ng1");

        ng = h.Get<ManagedNodeGroup>("ng1");
        Assert.Equal("Ready=False/ClusterNotFound Reconciling=False/ClusterNotFound Stalled=True/ClusterNotFound", ng.Kstatus());
        Assert.Equal("EksCluster c1 not found in namespace default; create it or fix spec.clusterRef.name (waited 2 min)", ng.Message(ConditionTypes.Stalled));
        Assert.Equal(ReconcileOutcome.Terminal, stalled.Outcome);
        Assert.Single(h.Kube.Events, e => e.Type == EventType.Warning && e.Reason == ConditionReasons.ClusterNotFound);

        // The cluster appears: its creation is an input of the node group, so the pass is not skipped.
        h.Apply(Objects.Cluster());
        await h.ReconcileAsync<ManagedNodeGroup>("ng1");
        Assert.Equal("waiting for EksCluster c1 to be ACTIVE (now not created)", h.Get<ManagedNodeGroup>("ng1").Message());
        Assert.Equal("Ready=False/WaitingForCluster Reconciling=True/WaitingForCluster Stalled=False/NotStalled", h.Get<ManagedNodeGroup>("ng1").Kstatus());
    }

    [Theory]
    [InlineData(90, "(waited 90 s)")]
    [InlineData(60, "(waited 1 min)")]
    [InlineData(30, "(waited 30 s)")]
    [InlineData(180, "(waited 3 min)")]
    public async Task The_grace_period_is_spelled_in_minutes_or_seconds(int seconds, string waited)
    {
        var h = new Harness(o => o.ClusterNotFoundGracePeriod = TimeSpan.FromSeconds(seconds));
        h.Apply(Objects.Profile());
        h.Time.Advance(TimeSpan.FromSeconds(seconds));

        await h.ReconcileAsync<FargateProfile>("fp1");

        Assert.EndsWith(waited, h.Get<FargateProfile>("fp1").Message(ConditionTypes.Stalled), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cluster_not_yet_created_is_waited_for_without_preparing_the_role()
    {
        var h = new Harness();
        h.Apply(Objects.Cluster());
        h.Apply(Objects.NodeGroup());

        var result = await h.ReconcileAsync<ManagedNodeGroup>("ng1");

        Assert.Equal(ReconcileResult.Done, result);
        Assert.Equal("waiting for EksCluster c1 to be ACTIVE (now not created)", h.Get<ManagedNodeGroup>("ng1").Message());
        Assert.Empty(h.Iam.Calls);
        Assert.Null(h.Get<ManagedNodeGroup>("ng1").Status!.ClusterName);
    }

    [Fact]
    public async Task A_cluster_being_deleted_holds_its_children()
    {
        var h = new Harness();
        await h.ActiveClusterAsync();
        await h.ActiveNodeGroupAsync();
        h.SetStatus<EksCluster>("c1", c => c.Metadata.DeletionTimestamp = h.Time.GetUtcNow().UtcDateTime);
        h.Edit<ManagedNodeGroup>("ng1", ng => ng.Spec.Labels = new Dictionary<string, string> { ["a"] = "b" });

        var result = await h.ReconcileAsync<ManagedNodeGroup>("ng1");

        Assert.Equal(ReconcileResult.Done, result);
        Assert.Equal("EksCluster c1 is being deleted", h.Get<ManagedNodeGroup>("ng1").Message());
        Assert.Empty(h.Eks.Calls);
    }

    [Fact]
    public async Task The_owner_reference_is_added_once_next_to_those_already_there()
    {
        var h = new Harness();
        await h.ActiveClusterAsync();
        var other = new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "x", Uid = "uid-x" };
        h.Apply(Objects.NodeGroup().With(ng => ng.Metadata.OwnerReferences = [other]));

        await h.SettleAsync<ManagedNodeGroup>("ng1");
        h.Edit<ManagedNodeGroup>("ng1", _ => { });
        await h.ReconcileAsync<ManagedNodeGroup>("ng1");

        var references = h.Get<ManagedNodeGroup>("ng1").Metadata.OwnerReferences;
        Assert.Equal(["uid-x", "uid-c1"], references.Select(r => r.Uid));
        Assert.True(references[1].BlockOwnerDeletion);
    }

    [Fact]
    public async Task A_child_whose_cluster_never_existed_is_let_go_on_deletion()
    {
        var h = new Harness();
        h.Apply(Objects.NodeGroup().With(ng => ng.Metadata.Finalizers = [OperatorApi.Finalizer]));
        await h.DeleteAsync<ManagedNodeGroup>("ng1");

        await h.ReconcileAsync<ManagedNodeGroup>("ng1");

        Assert.False(h.Exists<ManagedNodeGroup>("ng1"));
        Assert.Empty(h.Eks.Calls);
    }

    [Fact]
    public async Task A_child_deleted_after_its_cluster_object_finds_AWS_by_the_recorded_cluster_name()
    {
        var h = new Harness();
        await h.ActiveClusterAsync(configure: c => c.Spec.Name = "prod");
        await h.ActiveNodeGroupAsync(cluster: "c1");
        Assert.Equal("prod", h.Get<ManagedNodeGroup>("ng1").Status!.ClusterName);
        h.Kube.Store<EksCluster>().Remove(new ObjectKey(Harness.Ns, "c1"));
        await h.DeleteAsync<ManagedNodeGroup>("ng1");

        await h.ReconcileAsync<ManagedNodeGroup>("ng1");

        Assert.Equal(["DeleteNodegroup prod/ng1"], h.Eks.Writes);
    }

    [Fact]
    public async Task A_node_group_reads_its_cluster_so_a_cluster_change_is_not_skipped()
    {
        var h = new Harness();
        await h.ActiveClusterAsync();
        await h.ActiveNodeGroupAsync();
        var calls = h.Eks.Calls.Count;

        await h.ReconcileAsync<ManagedNodeGroup>("ng1");
        Assert.Equal(calls, h.Eks.Calls.Count); // in sync, nothing of it changed

        h.Eks.Change("c1", c => c with { Version = "1.34" });
        h.SetStatus<EksCluster>("c1", c => c.Status!.Version = "1.34");
        await h.ReconcileAsync<ManagedNodeGroup>("ng1");
        Assert.Contains("UpdateNodegroupVersion c1/ng1 1.34", h.Eks.Calls);
    }
}

public sealed class ClusterStatesForChildrenTests
{
    [Theory]
    [InlineData("UPDATING", true, false)]
    [InlineData("ACTIVE", true, false)]
    [InlineData("PENDING", false, true)]
    [InlineData("CREATING", false, true)]
    [InlineData("FAILED", false, false)]
    public async Task A_child_goes_on_on_an_ACTIVE_or_UPDATING_cluster_and_prepares_its_role_on_one_being_created(string status, bool proceeds, bool prepares)
    {
        var h = new Harness();
        await h.ActiveClusterAsync();
        h.SetStatus<EksCluster>("c1", c => c.Status!.AwsStatus = status);
        h.Apply(Objects.NodeGroup());

        await h.SettleAsync<ManagedNodeGroup>("ng1");

        Assert.Equal(proceeds, h.Eks.Writes.Contains("CreateNodegroup c1/ng1"));
        Assert.Equal(prepares || proceeds, h.Iam.Calls.Contains("EnsureRole c1-ng1-node"));
        Assert.Equal(proceeds || prepares ? "c1" : null, h.Get<ManagedNodeGroup>("ng1").Status!.ClusterName);
    }
}
