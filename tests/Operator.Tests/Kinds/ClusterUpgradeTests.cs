using EksOperator.Aws.Versions;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Operator.Tests.Support;
using EksOperator.Runtime;

namespace EksOperator.Operator.Tests.Kinds;

/// <summary>The stepwise upgrade: one minor per step, refusals before anything is sent, node groups in between.</summary>
public sealed class ClusterUpgradeTests
{
    private readonly Harness _h = new();

    [Fact]
    public async Task A_two_minor_upgrade_goes_one_step_at_a_time_and_node_groups_follow_in_between()
    {
        await _h.ActiveClusterAsync();
        await _h.ActiveNodeGroupAsync();
        _h.Edit<EksCluster>("c1", c => c.Spec.Version = "1.35");

        var step = await _h.ReconcileAsync<EksCluster>("c1");

        Assert.Equal(["UpdateClusterVersion c1 1.34"], _h.Eks.Writes);
        var cluster = _h.Get<EksCluster>("c1");
        Assert.Equal("Ready=False/UpgradingControlPlane Reconciling=True/UpgradingControlPlane Stalled=False/NotStalled", cluster.Kstatus());
        Assert.Equal("Upgrading the control plane 1.33 -> 1.34 (target 1.35)", cluster.Message());
        Assert.Equal(new UpgradeProgress { From = "1.33", To = "1.35", Step = "1.34", Phase = UpgradePhase.ControlPlane }, cluster.Status!.Upgrade);
        Assert.Single(_h.Kube.Events, e => e.Reason == "UpgradeStep" && e.Message == "control plane 1.33 -> 1.34 (target 1.35)");
        // A version update is expected to take 12 minutes.
        Assert.Equal(ReconcileResult.RequeueAfter(TimeSpan.FromMinutes(5)), step);

        // While it runs, the message says which step.
        await _h.ReconcileAsync<EksCluster>("c1");
        Assert.Equal("Upgrading the control plane 1.33 -> 1.34 (target 1.35) (EKS update upd-0001 in progress)", _h.Get<EksCluster>("c1").Message());
        Assert.Equal(ConditionReasons.UpgradingControlPlane, _h.Get<EksCluster>("c1").Condition(ConditionTypes.Reconciling).Reason);

        // Step done: the node group (following the cluster) must reach 1.34 before the next step.
        _h.Eks.CompleteUpdate("upd-0001");
        await _h.ReconcileAsync<EksCluster>("c1");
        cluster = _h.Get<EksCluster>("c1");
        Assert.Equal("Upgrading node groups to 1.34 before the next control-plane step: waiting for ng1", cluster.Message());
        Assert.Equal(UpgradePhase.NodeGroups, cluster.Status!.Upgrade!.Phase);
        Assert.Equal(ConditionReasons.UpgradingNodeGroups, cluster.Condition(ConditionTypes.Reconciling).Reason);
        Assert.Single(_h.Eks.Writes, w => w.StartsWith("UpdateClusterVersion", StringComparison.Ordinal));

        // The node group follows the control plane's version, not the target.
        await _h.ReconcileAsync<ManagedNodeGroup>("ng1");
        Assert.Equal("UpdateNodegroupVersion c1/ng1 1.34", _h.Eks.Writes[^1]);
        Assert.Equal(ConditionReasons.UpgradingNodeGroups, _h.Get<ManagedNodeGroup>("ng1").Condition(ConditionTypes.Reconciling).Reason);
        _h.Eks.CompleteUpdate("upd-0002");
        await _h.ReconcileAsync<ManagedNodeGroup>("ng1");
        Assert.Equal("1.34", _h.Get<ManagedNodeGroup>("ng1").Status!.Version);

        await _h.ReconcileAsync<EksCluster>("c1");
        Assert.Equal("UpdateClusterVersion c1 1.35", _h.Eks.Writes[^1]);
        Assert.Equal("Upgrading the control plane 1.34 -> 1.35", _h.Get<EksCluster>("c1").Message());
        Assert.Equal(new UpgradeProgress { From = "1.33", To = "1.35", Step = "1.35", Phase = UpgradePhase.ControlPlane }, _h.Get<EksCluster>("c1").Status!.Upgrade);
        _h.Eks.CompleteUpdate("upd-0003");

        // Last step done: waiting for the followers of that step, then complete.
        await _h.ReconcileAsync<EksCluster>("c1");
        Assert.Equal("Upgrading node groups to 1.35: waiting for ng1", _h.Get<EksCluster>("c1").Message());
        await _h.ReconcileAsync<ManagedNodeGroup>("ng1");
        _h.Eks.CompleteUpdate("upd-0004");
        await _h.ReconcileAsync<ManagedNodeGroup>("ng1");

        await _h.ReconcileAsync<EksCluster>("c1");
        cluster = _h.Get<EksCluster>("c1");
        Assert.Null(cluster.Status!.Upgrade);
        Assert.True(cluster.Status.Conditions.IsTrue(ConditionTypes.Ready));
        Assert.Equal("Cluster c1 is ACTIVE at 1.35 and matches the spec", cluster.Message());
        Assert.Single(_h.Kube.Events, e => e.Reason == "UpgradeComplete" && e.Message == "cluster c1, its add-ons and its node groups run 1.35");
    }

    [Fact]
    public async Task A_downgrade_is_refused_before_anything_is_sent()
    {
        await _h.ActiveClusterAsync();
        _h.Edit<EksCluster>("c1", c => c.Spec.Version = "1.31");

        var result = await _h.ReconcileAsync<EksCluster>("c1");

        Assert.Equal("spec.version 1.31: EKS cannot downgrade: the cluster runs 1.33; set spec.version to 1.33 or higher", _h.Get<EksCluster>("c1").Message(ConditionTypes.Stalled));
        Assert.Equal(ConditionReasons.InvalidSpec, _h.Get<EksCluster>("c1").Condition(ConditionTypes.Stalled).Reason);
        Assert.Equal(ReconcileOutcome.Terminal, result.Outcome);
        Assert.Empty(_h.Eks.Writes);
    }

    [Theory]
    [InlineData("1.36", "spec.version 1.36: EKS does not offer Kubernetes 1.36; it offers 1.31, 1.32, 1.33, 1.34, 1.35; set spec.version to one of them")]
    [InlineData("1.37", "spec.version 1.37: EKS does not offer Kubernetes 1.36 (on the way from 1.33 to 1.37); it offers 1.31, 1.32, 1.33, 1.34, 1.35; set spec.version to one of them")]
    public async Task A_version_EKS_does_not_offer_or_cannot_reach_stops_the_upgrade_before_the_first_step(string target, string message)
    {
        await _h.ActiveClusterAsync();
        _h.Edit<EksCluster>("c1", c => c.Spec.Version = target);

        var result = await _h.ReconcileAsync<EksCluster>("c1");

        Assert.Equal(message, _h.Get<EksCluster>("c1").Message(ConditionTypes.Stalled));
        Assert.Equal(ReconcileOutcome.Terminal, result.Outcome);
        Assert.Empty(_h.Eks.Writes);
    }

    [Fact]
    public async Task A_version_EKS_does_not_offer_is_refused_at_create_too_but_unknown_offers_are_left_to_EKS()
    {
        _h.Apply(Objects.Cluster().With(c => c.Spec.Version = "1.29"));
        var refused = await _h.SettleAsync<EksCluster>("c1");
        Assert.Equal(ReconcileOutcome.Terminal, refused.Outcome);
        Assert.Equal("spec.version 1.29: EKS does not offer Kubernetes 1.29; it offers 1.31, 1.32, 1.33, 1.34, 1.35; set spec.version to one of them", _h.Get<EksCluster>("c1").Message(ConditionTypes.Stalled));
        Assert.DoesNotContain("DescribeSubnets", _h.Eks.Calls);

        _h.Versions.Offered = null;
        _h.Edit<EksCluster>("c1", _ => { });
        await _h.SettleAsync<EksCluster>("c1");
        Assert.Equal(["CreateCluster c1"], _h.Eks.Writes);
    }

    [Fact]
    public async Task The_next_step_is_checked_against_the_offers_too()
    {
        _h.Versions.Offered = new OfferedVersions(["1.33", "1.34"], "1.33");
        await _h.ActiveClusterAsync();
        _h.Edit<EksCluster>("c1", c => c.Spec.Version = "1.34");

        await _h.ReconcileAsync<EksCluster>("c1");

        Assert.Equal(["UpdateClusterVersion c1 1.34"], _h.Eks.Writes);
    }

    [Theory]
    [InlineData(true, null)]
    [InlineData(false, false)]
    public async Task A_node_group_held_below_the_control_plane_stalls_the_next_step(bool pinned, bool? follow)
    {
        await _h.ActiveClusterAsync(configure: c => c.Spec.NodeGroupsFollowVersion = follow);
        await _h.ActiveNodeGroupAsync(configure: ng => ng.Spec.Version = pinned ? "1.33" : null);
        // The cluster has moved on to 1.34 outside of this test's upgrade (as after a first step).
        _h.Eks.Change("c1", c => c with { Version = "1.34" });
        _h.Edit<EksCluster>("c1", c => c.Spec.Version = "1.35");

        var result = await _h.ReconcileAsync<EksCluster>("c1");

        var cluster = _h.Get<EksCluster>("c1");
        Assert.Equal("cannot upgrade from 1.34 to 1.35: (1) node group(s) ng1 (1.33) are held below the control plane's 1.34 (EKS requires every node group at the current minor before the next, and nodes may trail by at most 3 minors); raise or remove their spec.version", cluster.Message(ConditionTypes.Stalled));
        Assert.Equal(ConditionReasons.UpgradeBlocked, cluster.Condition(ConditionTypes.Stalled).Reason);
        Assert.Equal(_h.Polling.AfterStall, result);
        Assert.Empty(_h.Eks.Writes);
    }

    [Fact]
    public async Task Node_groups_that_do_not_follow_are_not_waited_for_after_the_last_step()
    {
        await _h.ActiveClusterAsync(configure: c => c.Spec.NodeGroupsFollowVersion = false);
        await _h.ActiveNodeGroupAsync();
        _h.Edit<EksCluster>("c1", c => c.Spec.Version = "1.34");
        await _h.ReconcileAsync<EksCluster>("c1");
        _h.Eks.CompleteUpdate("upd-0001");

        await _h.ReconcileAsync<EksCluster>("c1");

        var cluster = _h.Get<EksCluster>("c1");
        Assert.Null(cluster.Status!.Upgrade);
        Assert.True(cluster.Status.Conditions.IsTrue(ConditionTypes.Ready));
        // And the node group stays where it is.
        _h.Edit<ManagedNodeGroup>("ng1", _ => { });
        await _h.ReconcileAsync<ManagedNodeGroup>("ng1");
        Assert.DoesNotContain(_h.Eks.Writes, w => w.StartsWith("UpdateNodegroupVersion", StringComparison.Ordinal));
        Assert.Equal("Node group ng1 is ACTIVE at 1.33 and matches the spec", _h.Get<ManagedNodeGroup>("ng1").Message());
    }

    [Fact]
    public async Task A_node_group_being_deleted_does_not_hold_the_upgrade()
    {
        await _h.ActiveClusterAsync();
        await _h.ActiveNodeGroupAsync();
        await _h.DeleteAsync<ManagedNodeGroup>("ng1");
        _h.Edit<EksCluster>("c1", c => c.Spec.Version = "1.34");

        await _h.ReconcileAsync<EksCluster>("c1");
        _h.Eks.CompleteUpdate("upd-0001");
        await _h.ReconcileAsync<EksCluster>("c1");

        Assert.Null(_h.Get<EksCluster>("c1").Status!.Upgrade);
        Assert.Single(_h.Kube.Events, e => e.Reason == "UpgradeComplete");
    }
}
