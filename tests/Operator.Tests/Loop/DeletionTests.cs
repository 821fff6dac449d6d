using EksOperator.Aws.Eks;
using FargateProfile = EksOperator.Entities.V1Alpha1.FargateProfile;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Operator.Tests.Support;
using EksOperator.Runtime;

namespace EksOperator.Operator.Tests.Loop;

/// <summary>Deleting a cluster: children first, Retain, protection, unmanaged children, wait until gone, the owned role.</summary>
public sealed class DeletionTests
{
    private readonly Harness _h = new();

    [Fact]
    public async Task Delete_is_sent_once_waited_for_and_then_the_owned_role_outputs_and_finalizer_go()
    {
        await _h.ActiveClusterAsync();
        await _h.DeleteAsync<EksCluster>("c1");

        var first = await _h.ReconcileAsync<EksCluster>("c1");

        Assert.Equal(["DeleteCluster c1"], _h.Eks.Writes);
        Assert.Equal("Ready=False/Deleting Reconciling=True/Deleting Stalled=False/NotStalled", _h.Get<EksCluster>("c1").Kstatus());
        Assert.Equal("EKS is deleting cluster c1", _h.Get<EksCluster>("c1").Message());
        Assert.Single(_h.Kube.Events, e => e.Reason == "Deleting" && e.Message == "DeleteCluster sent for cluster c1");
        Assert.Equal(ReconcileResult.RequeueAfter(TimeSpan.FromMinutes(5)), first);
        Assert.Equal(["ListNodegroups c1", "ListFargateProfiles c1"], _h.Eks.Calls.Where(c => c.StartsWith("List", StringComparison.Ordinal)));

        // DELETING: waited for, not sent again.
        _h.Time.Advance(TimeSpan.FromMinutes(5));
        var waiting = await _h.ReconcileAsync<EksCluster>("c1");
        Assert.Single(_h.Eks.Writes);
        Assert.Equal("DELETING", _h.Get<EksCluster>("c1").Status!.AwsStatus);
        // 5 of the 5 minutes a delete takes are gone: overdue, looked at again after 10 % of the time spent.
        Assert.Equal(ReconcileResult.RequeueAfter(TimeSpan.FromSeconds(30)), waiting);

        _h.Eks.FinishDeleting("c1");
        var gone = await _h.ReconcileAsync<EksCluster>("c1");

        Assert.Equal(ReconcileResult.Done, gone);
        Assert.False(_h.Exists<EksCluster>("c1"));
        Assert.Equal(["DeleteRole c1-eks-cluster"], _h.Iam.Calls.Where(c => c.StartsWith("DeleteRole", StringComparison.Ordinal)));
        Assert.False(_h.Iam.Exists("c1-eks-cluster"));
        Assert.False(_h.Kube.Store<k8s.Models.V1Secret>().TryGet(new ObjectKey(Harness.Ns, "c1-kubeconfig"), out _));
        Assert.Single(_h.Kube.Events, e => e.Reason == "Deleted" && e.Message == "Cluster c1 is deleted");
    }

    [Fact]
    public async Task A_role_the_spec_names_is_never_deleted()
    {
        _h.Iam.Seed("mine", new Dictionary<string, string> { [OwnershipTags.OwnerUid] = "uid-c1" });
        await _h.ActiveClusterAsync(configure: c => c.Spec.RoleArn = FakeIam.Arn("mine"));
        await _h.DeleteAsync<EksCluster>("c1");
        await _h.ReconcileAsync<EksCluster>("c1");
        _h.Eks.FinishDeleting("c1");

        await _h.ReconcileAsync<EksCluster>("c1");

        Assert.False(_h.Exists<EksCluster>("c1"));
        Assert.DoesNotContain(_h.Iam.Calls, c => c.StartsWith("DeleteRole", StringComparison.Ordinal));
        Assert.True(_h.Iam.Exists("mine"));
    }

    [Fact]
    public async Task Retain_leaves_the_cluster_and_role_tagged_as_released()
    {
        await _h.ActiveClusterAsync(configure: c => c.Spec.DeletionPolicy = DeletionPolicy.Retain);
        await _h.DeleteAsync<EksCluster>("c1");

        var result = await _h.ReconcileAsync<EksCluster>("c1");

        Assert.Equal(ReconcileResult.Done, result);
        Assert.False(_h.Exists<EksCluster>("c1"));
        Assert.Equal([$"TagResource {FakeEks.ClusterArn("c1")} {OwnershipTags.Released}"], _h.Eks.Writes);
        Assert.Equal("2026-05-01T10:00:00Z", _h.Eks.Cluster("c1")!.Tags![OwnershipTags.Released]);
        Assert.Contains("ReleaseRole c1-eks-cluster", _h.Iam.Calls);
        Assert.True(_h.Iam.Tags("c1-eks-cluster").ContainsKey(OwnershipTags.Released));
        Assert.Single(_h.Kube.Events, e => e.Reason == "Retained" && e.Message == "EKS cluster c1 left in AWS (deletionPolicy Retain), tagged eks.operator.dev/released");
    }

    [Fact]
    public async Task Retain_of_a_cluster_that_is_gone_already_still_lets_the_object_go()
    {
        await _h.ActiveClusterAsync(configure: c => c.Spec.DeletionPolicy = DeletionPolicy.Retain);
        _h.Eks.Change("c1", c => c with { Status = ClusterStatus.Deleting });
        _h.Eks.FinishDeleting("c1");
        await _h.DeleteAsync<EksCluster>("c1");

        await _h.ReconcileAsync<EksCluster>("c1");

        Assert.False(_h.Exists<EksCluster>("c1"));
        Assert.Single(_h.Kube.Events, e => e.Reason == "Retained");
    }

    [Fact]
    public async Task Node_groups_and_profiles_are_deleted_first_and_waited_for()
    {
        await _h.ActiveClusterAsync();
        await _h.ActiveNodeGroupAsync();
        _h.Apply(Objects.Profile());
        await _h.DeleteAsync<EksCluster>("c1");

        var result = await _h.ReconcileAsync<EksCluster>("c1");

        Assert.Equal("deleting the objects on the cluster first: waiting for ManagedNodeGroup/ng1, FargateProfile/fp1", _h.Get<EksCluster>("c1").Message());
        Assert.Equal(ConditionReasons.Deleting, _h.Get<EksCluster>("c1").Condition(ConditionTypes.Reconciling).Reason);
        Assert.NotNull(_h.Get<ManagedNodeGroup>("ng1").Metadata.DeletionTimestamp);
        Assert.False(_h.Exists<FargateProfile>("fp1")); // it had no finalizer yet
        Assert.DoesNotContain(_h.Eks.Writes, w => w.StartsWith("DeleteCluster", StringComparison.Ordinal));
        Assert.Equal(ReconcileOutcome.RequeueAfter, result.Outcome);

        // The node group's own loop deletes it in EKS; the cluster goes once it is gone.
        await _h.ReconcileAsync<ManagedNodeGroup>("ng1");
        Assert.Contains("DeleteNodegroup c1/ng1", _h.Eks.Writes);
        _h.Eks.FinishDeletingNodegroup("c1", "ng1");
        await _h.ReconcileAsync<ManagedNodeGroup>("ng1");
        Assert.False(_h.Exists<ManagedNodeGroup>("ng1"));
        Assert.Contains("DeleteRole c1-ng1-node", _h.Iam.Calls);

        await _h.ReconcileAsync<EksCluster>("c1");
        Assert.Contains("DeleteCluster c1", _h.Eks.Writes);
    }

    [Fact]
    public async Task Deletion_protection_stalls_unless_the_spec_lets_the_operator_turn_it_off()
    {
        await _h.ActiveClusterAsync(configure: c => c.Spec.DeletionProtection = true);
        Assert.True(_h.Eks.Cluster("c1")!.DeletionProtection);
        await _h.DeleteAsync<EksCluster>("c1");

        var blocked = await _h.ReconcileAsync<EksCluster>("c1");

        var cluster = _h.Get<EksCluster>("c1");
        Assert.Equal("Ready=False/DeletionBlocked Reconciling=False/DeletionBlocked Stalled=True/DeletionBlocked", cluster.Kstatus());
        Assert.Equal("EKS deletion protection is on for cluster c1; set spec.deletionProtection: false to let the operator turn it off and delete, or set spec.deletionPolicy: Retain to keep the cluster", cluster.Message(ConditionTypes.Stalled));
        Assert.Equal(_h.Polling.AfterStall, blocked);
        Assert.Empty(_h.Eks.Writes);

        _h.Edit<EksCluster>("c1", c => c.Spec.DeletionProtection = false);
        await _h.ReconcileAsync<EksCluster>("c1");
        Assert.Equal(["UpdateClusterConfig c1 deletionProtection=False"], _h.Eks.Writes);
        Assert.Equal("turning off EKS deletion protection of cluster c1 before deleting it", _h.Get<EksCluster>("c1").Message());
        Assert.Single(_h.Kube.Events, e => e.Reason == "UpdateStarted" && e.Message == "turning off deletion protection of c1 before deleting it");

        // While EKS turns it off: followed, not sent again.
        await _h.ReconcileAsync<EksCluster>("c1");
        Assert.Single(_h.Eks.Writes);

        _h.Eks.CompleteUpdate("upd-0001");
        await _h.ReconcileAsync<EksCluster>("c1");
        Assert.Equal("DeleteCluster c1", _h.Eks.Writes[^1]);
    }

    [Fact]
    public async Task An_ACTIVE_protected_cluster_with_the_update_still_running_is_followed_not_updated_again()
    {
        await _h.ActiveClusterAsync(configure: c => c.Spec.DeletionProtection = false);
        _h.Eks.Change("c1", c => c with { DeletionProtection = true });
        await _h.DeleteAsync<EksCluster>("c1");
        await _h.ReconcileAsync<EksCluster>("c1");
        // EKS reports the cluster ACTIVE again before the update has finished.
        _h.Eks.Change("c1", c => c with { Status = ClusterStatus.Active });

        await _h.ReconcileAsync<EksCluster>("c1");

        Assert.Single(_h.Eks.Writes);
        Assert.Equal("Turning off EKS deletion protection before deleting the cluster (EKS update upd-0001 in progress)", _h.Get<EksCluster>("c1").Message());
    }

    [Fact]
    public async Task Node_groups_no_object_manages_block_the_delete()
    {
        await _h.ActiveClusterAsync();
        _h.Eks.Seed(new Nodegroup { ClusterName = "c1", NodegroupName = "hand-made", NodegroupArn = FakeEks.NodegroupArn("c1", "hand-made"), Version = "1.33", Status = NodegroupStatus.Active });
        await _h.DeleteAsync<EksCluster>("c1");

        var result = await _h.ReconcileAsync<EksCluster>("c1");

        Assert.Equal("cluster c1 still has AWS resources no object manages: nodegroup hand-made; delete them in AWS or create objects for them with the eks.operator.dev/adopt annotation", _h.Get<EksCluster>("c1").Message(ConditionTypes.Stalled));
        Assert.Equal(_h.Polling.AfterStall, result);
        Assert.Empty(_h.Eks.Writes);
    }

    [Fact]
    public async Task A_cluster_that_is_not_ours_is_never_deleted()
    {
        await _h.ActiveClusterAsync();
        _h.Eks.Change("c1", c => c with { Tags = new Dictionary<string, string> { [OwnershipTags.OwnerUid] = "uid-someone" } });
        await _h.DeleteAsync<EksCluster>("c1");

        await _h.ReconcileAsync<EksCluster>("c1");

        Assert.False(_h.Exists<EksCluster>("c1"));
        Assert.Empty(_h.Eks.Writes);
        Assert.Equal(ClusterStatus.Active, _h.Eks.Cluster("c1")!.Status);
    }

    [Fact]
    public async Task An_object_without_the_finalizer_is_let_go_at_once()
    {
        _h.Eks.SubnetProblem = "no subnets";
        _h.Apply(Objects.Cluster());
        await _h.ReconcileAsync<EksCluster>("c1");
        Assert.Null(_h.Get<EksCluster>("c1").Metadata.Finalizers);

        await _h.DeleteAsync<EksCluster>("c1");

        Assert.False(_h.Exists<EksCluster>("c1"));
        Assert.Equal(ReconcileResult.Done, await _h.ReconcileAsync<EksCluster>("c1"));
    }

    [Fact]
    public async Task A_cluster_of_another_region_is_deleted_in_its_region()
    {
        await _h.ActiveClusterAsync(configure: c => c.Spec.Region = "eu-west-1");

        await _h.DeleteAsync<EksCluster>("c1");
        await _h.ReconcileAsync<EksCluster>("c1");

        Assert.Contains("DeleteCluster c1", _h.Eks.Writes);
        Assert.All(_h.Eks.Targets, t => Assert.Equal("eu-west-1", t.Target?.Region));
    }

    [Fact]
    public async Task A_cluster_of_a_region_aws_does_not_have_is_let_go_without_looking_in_aws()
    {
        _h.Apply(Objects.Cluster().With(c =>
        {
            c.Spec.Region = "eu-nowhere-1";
            c.Metadata.Finalizers = [OperatorApi.Finalizer];
        }));
        await _h.DeleteAsync<EksCluster>("c1");

        await _h.ReconcileAsync<EksCluster>("c1");

        Assert.False(_h.Exists<EksCluster>("c1"));
        Assert.Empty(_h.Eks.Calls);
    }
}
