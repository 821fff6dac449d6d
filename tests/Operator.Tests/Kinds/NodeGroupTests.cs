using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Operator.Tests.Support;
using EksOperator.Runtime;

namespace EksOperator.Operator.Tests.Kinds;

/// <summary>The node group adapter: create at the cluster's version, version before config, refusals, Retain.</summary>
public sealed class NodeGroupTests
{
    private readonly Harness _h = new();

    [Fact]
    public async Task A_node_group_is_created_at_the_cluster_version_with_its_own_role_and_the_cluster_subnets()
    {
        await _h.ActiveClusterAsync();
        _h.Apply(Objects.NodeGroup());

        await _h.SettleAsync<ManagedNodeGroup>("ng1");

        Assert.Equal(["CreateNodegroup c1/ng1"], _h.Eks.Writes);
        Assert.Equal(["EnsureRole c1-ng1-node"], _h.Iam.Calls);
        var aws = _h.Eks.Nodegroup("c1", "ng1")!;
        Assert.Equal("1.33", aws.Version);
        Assert.Equal(["subnet-0aaa0001", "subnet-0bbb0002"], aws.Subnets);
        Assert.Equal(FakeIam.Arn("c1-ng1-node"), aws.NodeRole);
        Assert.Equal((1, 3, 2), (aws.ScalingConfig!.MinSize, aws.ScalingConfig.MaxSize, aws.ScalingConfig.DesiredSize));
        var ng = _h.Get<ManagedNodeGroup>("ng1");
        Assert.Equal("c1", ng.Status!.ClusterName);
        Assert.Equal(FakeIam.Arn("c1-ng1-node"), ng.Status.NodeRoleArn);
        Assert.Equal("EKS is creating node group ng1", ng.Message());
        Assert.Single(_h.Kube.Events, e => e.Reason == "Creating" && e.Message == "CreateNodegroup sent for ng1 on c1 (1.33)");
        // The node group owns up to its cluster.
        var owner = Assert.Single(ng.Metadata.OwnerReferences);
        Assert.Equal(("EksCluster", "c1", "uid-c1", false), (owner.Kind, owner.Name, owner.Uid, owner.Controller));

        _h.Eks.ActivateNodegroup("c1", "ng1");
        var ready = await _h.ReconcileAsync<ManagedNodeGroup>("ng1");
        ng = _h.Get<ManagedNodeGroup>("ng1");
        Assert.Equal("Node group ng1 is ACTIVE at 1.33 and matches the spec", ng.Message());
        Assert.Equal(["eks-ng1-asg"], ng.Status!.AutoScalingGroups);
        Assert.Equal(2, ng.Status.DesiredSize);
        Assert.Equal("1.33.0-20260101", ng.Status.ReleaseVersion);
        Assert.Equal(_h.Polling.Resync, ready);
    }

    [Fact]
    public async Task The_version_change_goes_before_the_config_change()
    {
        await _h.ActiveClusterAsync();
        await _h.ActiveNodeGroupAsync(configure: ng => ng.Spec.ReleaseVersion = "1.33.0-20260101");
        _h.Edit<ManagedNodeGroup>("ng1", ng =>
        {
            ng.Spec.ReleaseVersion = "1.33.1-20260201";
            ng.Spec.Scaling = new NodeGroupScaling { MinSize = 2, MaxSize = 5, DesiredSize = 3 };
            ng.Spec.Labels = new Dictionary<string, string> { ["role"] = "web" };
        });

        await _h.ReconcileAsync<ManagedNodeGroup>("ng1");

        Assert.Equal(["UpdateNodegroupVersion c1/ng1 1.33.1-20260201"], _h.Eks.Writes);
        var ng = _h.Get<ManagedNodeGroup>("ng1");
        Assert.Equal("Updating spec.releaseVersion from 1.33.0-20260101 to 1.33.1-20260201 (1 more change(s) after it)", ng.Message());
        // A release bump is no minor upgrade.
        Assert.Equal(ConditionReasons.Updating, ng.Condition(ConditionTypes.Reconciling).Reason);
        Assert.Equal(["spec.releaseVersion", "spec.scaling", "spec.labels"], ng.Status!.Drift!.Select(d => d.Field));

        _h.Eks.CompleteUpdate("upd-0001");
        await _h.ReconcileAsync<ManagedNodeGroup>("ng1");
        Assert.Equal("UpdateNodegroupConfig c1/ng1 spec.scaling,spec.labels", _h.Eks.Writes[^1]);
        _h.Eks.CompleteUpdate("upd-0002");
        await _h.ReconcileAsync<ManagedNodeGroup>("ng1");

        ng = _h.Get<ManagedNodeGroup>("ng1");
        Assert.True(ng.Status!.Conditions.IsTrue(ConditionTypes.Ready));
        Assert.Equal(3, ng.Status.DesiredSize);
        Assert.Equal("web", _h.Eks.Nodegroup("c1", "ng1")!.Labels!["role"]);
    }

    [Fact]
    public async Task A_version_newer_than_the_cluster_is_refused_before_AWS_is_read()
    {
        await _h.ActiveClusterAsync();
        _h.Apply(Objects.NodeGroup().With(ng => ng.Spec.Version = "1.34"));

        var result = await _h.SettleAsync<ManagedNodeGroup>("ng1");

        Assert.Equal("spec.version 1.34 is newer than EksCluster c1 (1.33); a node group cannot run ahead of its control plane: lower spec.version or upgrade the cluster first", _h.Get<ManagedNodeGroup>("ng1").Message(ConditionTypes.Stalled));
        Assert.Equal(ReconcileOutcome.Terminal, result.Outcome);
        Assert.DoesNotContain(_h.Eks.Calls, c => c.StartsWith("DescribeNodegroup", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_pinned_version_below_the_cluster_cannot_be_created()
    {
        await _h.ActiveClusterAsync();
        _h.Apply(Objects.NodeGroup().With(ng => ng.Spec.Version = "1.32"));

        var result = await _h.SettleAsync<ManagedNodeGroup>("ng1");

        Assert.Equal("EKS creates node groups only at the cluster's version (1.33); set spec.version to 1.33 or leave it unset (it can be held back later)", _h.Get<ManagedNodeGroup>("ng1").Message(ConditionTypes.Stalled));
        Assert.Equal(ReconcileOutcome.Terminal, result.Outcome);
        Assert.Empty(_h.Eks.Writes);
        Assert.Null(_h.Get<ManagedNodeGroup>("ng1").Metadata.Finalizers);
    }

    [Fact]
    public async Task Lowering_the_version_of_a_running_node_group_is_a_downgrade_EKS_refuses()
    {
        await _h.ActiveClusterAsync();
        await _h.ActiveNodeGroupAsync();
        _h.Edit<ManagedNodeGroup>("ng1", ng => ng.Spec.Version = "1.32");

        var result = await _h.ReconcileAsync<ManagedNodeGroup>("ng1");

        Assert.Equal("spec.version 1.32: EKS cannot downgrade node group ng1: it runs 1.33; set spec.version to 1.33 or higher, or remove it to follow the cluster", _h.Get<ManagedNodeGroup>("ng1").Message(ConditionTypes.Stalled));
        Assert.Equal(ReconcileOutcome.Terminal, result.Outcome);
        Assert.Empty(_h.Eks.Writes);
    }

    [Fact]
    public async Task Without_subnets_in_spec_or_cluster_status_the_create_waits_briefly()
    {
        await _h.ActiveClusterAsync();
        _h.SetStatus<EksCluster>("c1", c => c.Status!.SubnetIds = null);
        _h.Apply(Objects.NodeGroup());

        var result = await _h.SettleAsync<ManagedNodeGroup>("ng1");

        Assert.Equal("waiting for EksCluster c1 to report its subnets", _h.Get<ManagedNodeGroup>("ng1").Message());
        Assert.Equal(ConditionReasons.WaitingForCluster, _h.Get<ManagedNodeGroup>("ng1").Condition(ConditionTypes.Reconciling).Reason);
        Assert.Equal(_h.Polling.Soon, result);
        Assert.Empty(_h.Eks.Writes);
    }

    [Fact]
    public async Task Subnets_the_spec_names_win_over_the_cluster_ones()
    {
        await _h.ActiveClusterAsync();
        _h.Apply(Objects.NodeGroup().With(ng => ng.Spec.SubnetIds = ["subnet-0ccc0003"]));

        await _h.SettleAsync<ManagedNodeGroup>("ng1");

        Assert.Equal(["subnet-0ccc0003"], _h.Eks.Nodegroup("c1", "ng1")!.Subnets);
    }

    [Fact]
    public async Task An_external_desired_size_is_kept_when_only_the_bounds_change()
    {
        await _h.ActiveClusterAsync();
        await _h.ActiveNodeGroupAsync(configure: ng => ng.Spec.DesiredSizeManagedBy = DesiredSizeManagedBy.External);
        _h.Eks.Change("c1", "ng1", n => n with { ScalingConfig = n.ScalingConfig! with { DesiredSize = 3 } });
        _h.Edit<ManagedNodeGroup>("ng1", ng => ng.Spec.Tags = new Dictionary<string, string> { ["poke"] = "1" });

        await _h.ReconcileAsync<ManagedNodeGroup>("ng1");
        Assert.DoesNotContain(_h.Eks.Writes, w => w.StartsWith("UpdateNodegroupConfig", StringComparison.Ordinal));
        Assert.Equal(3, _h.Get<ManagedNodeGroup>("ng1").Status!.DesiredSize);

        // The autoscaler's 3 is clamped into the new bounds; the spec's desiredSize is not the operator's to set.
        _h.Edit<ManagedNodeGroup>("ng1", ng => ng.Spec.Scaling = new NodeGroupScaling { MinSize = 1, MaxSize = 2, DesiredSize = 1 });
        await _h.ReconcileAsync<ManagedNodeGroup>("ng1");
        _h.Eks.CompleteAllUpdates();
        Assert.Equal((1, 2, 2), (_h.Eks.Nodegroup("c1", "ng1")!.ScalingConfig!.MinSize, _h.Eks.Nodegroup("c1", "ng1")!.ScalingConfig!.MaxSize, _h.Eks.Nodegroup("c1", "ng1")!.ScalingConfig!.DesiredSize));
    }

    [Theory]
    [InlineData(null, DeletionPolicy.Retain, true)]
    [InlineData(DeletionPolicy.Delete, DeletionPolicy.Retain, false)]
    [InlineData(DeletionPolicy.Retain, null, true)]
    [InlineData(null, null, false)]
    public async Task A_node_group_inherits_Retain_from_its_cluster_unless_it_says_otherwise(DeletionPolicy? own, DeletionPolicy? cluster, bool retained)
    {
        await _h.ActiveClusterAsync(configure: c => c.Spec.DeletionPolicy = cluster);
        await _h.ActiveNodeGroupAsync(configure: ng => ng.Spec.DeletionPolicy = own);
        await _h.DeleteAsync<ManagedNodeGroup>("ng1");

        await _h.ReconcileAsync<ManagedNodeGroup>("ng1");

        Assert.Equal(retained, !_h.Exists<ManagedNodeGroup>("ng1"));
        Assert.Equal(retained, _h.Eks.Writes.Contains($"TagResource {FakeEks.NodegroupArn("c1", "ng1")} {OwnershipTags.Released}"));
        Assert.Equal(!retained, _h.Eks.Writes.Contains("DeleteNodegroup c1/ng1"));
        Assert.Equal(retained, _h.Iam.Calls.Contains("ReleaseRole c1-ng1-node"));
    }

    [Fact]
    public async Task While_the_cluster_is_created_the_node_group_prepares_its_role()
    {
        _h.Apply(Objects.Cluster());
        await _h.SettleAsync<EksCluster>("c1");
        _h.Apply(Objects.NodeGroup());

        var first = await _h.ReconcileAsync<ManagedNodeGroup>("ng1");
        Assert.Equal(ReconcileResult.Done, first);
        Assert.Equal([OperatorApi.Finalizer], _h.Get<ManagedNodeGroup>("ng1").Metadata.Finalizers);

        var second = await _h.ReconcileAsync<ManagedNodeGroup>("ng1");

        var ng = _h.Get<ManagedNodeGroup>("ng1");
        Assert.Contains("EnsureRole c1-ng1-node", _h.Iam.Calls);
        Assert.Equal(FakeIam.Arn("c1-ng1-node"), ng.Status!.NodeRoleArn);
        Assert.Equal("c1", ng.Status.ClusterName);
        Assert.Equal("waiting for EksCluster c1 to be ACTIVE (now CREATING)", ng.Message());
        Assert.Equal(ReconcileResult.Done, second); // the cluster's change wakes it
        Assert.DoesNotContain(_h.Eks.Calls, c => c.Contains("Nodegroup", StringComparison.Ordinal));

        // The role is recorded: not ensured again on the next wait.
        _h.Edit<ManagedNodeGroup>("ng1", _ => { });
        await _h.ReconcileAsync<ManagedNodeGroup>("ng1");
        Assert.Single(_h.Iam.Calls, c => c == "EnsureRole c1-ng1-node");
    }
}
