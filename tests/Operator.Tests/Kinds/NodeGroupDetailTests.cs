using EksOperator.Aws.Eks;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Operator.Tests.Support;
using EksOperator.Runtime;

namespace EksOperator.Operator.Tests.Kinds;

/// <summary>Node group details: AWS names, lifecycle states, held versions, roles, texts.</summary>
public sealed class NodeGroupDetailTests
{
    private readonly Harness _h = new();

    [Theory]
    [InlineData(NodegroupStatus.Degraded, true)]
    [InlineData(NodegroupStatus.DeleteFailed, true)]
    [InlineData(NodegroupStatus.CreateFailed, true)]
    [InlineData(NodegroupStatus.Updating, false)]
    public async Task Failed_states_stall_for_the_world_to_fix(NodegroupStatus status, bool stalled)
    {
        await _h.ActiveClusterAsync();
        await _h.ActiveNodeGroupAsync();
        _h.Eks.Change("c1", "ng1", n => n with { Status = status });
        _h.Edit<ManagedNodeGroup>("ng1", _ => { });

        await _h.ReconcileAsync<ManagedNodeGroup>("ng1");

        Assert.Equal(stalled, _h.Get<ManagedNodeGroup>("ng1").Status!.Conditions.IsTrue(ConditionTypes.Stalled));
        Assert.Equal(Aws.Mapping.ClusterMapping.EnumName(status), _h.Get<ManagedNodeGroup>("ng1").Status!.AwsStatus);
    }

    [Fact]
    public async Task The_AWS_name_comes_from_spec_name_and_the_role_is_recorded_as_created()
    {
        await _h.ActiveClusterAsync();
        _h.Apply(Objects.NodeGroup().With(ng => ng.Spec.Name = "workers"));

        await _h.SettleAsync<ManagedNodeGroup>("ng1");

        Assert.Equal(["CreateNodegroup c1/workers"], _h.Eks.Writes);
        Assert.Equal(["EnsureRole c1-workers-node"], _h.Iam.Calls);
        Assert.True(_h.Get<ManagedNodeGroup>("ng1").Status!.RoleCreated);
        Assert.Equal("EKS is creating node group workers", _h.Get<ManagedNodeGroup>("ng1").Message());
    }

    [Fact]
    public async Task A_given_node_role_is_not_recorded_as_created()
    {
        await _h.ActiveClusterAsync();
        _h.Apply(Objects.NodeGroup().With(ng => ng.Spec.NodeRoleArn = FakeIam.Arn("mine")));

        await _h.SettleAsync<ManagedNodeGroup>("ng1");

        Assert.Null(_h.Get<ManagedNodeGroup>("ng1").Status!.RoleCreated);
        Assert.Equal(FakeIam.Arn("mine"), _h.Get<ManagedNodeGroup>("ng1").Status!.NodeRoleArn);
        Assert.Empty(_h.Iam.Calls);
    }

    [Fact]
    public async Task An_empty_subnet_list_in_the_spec_is_no_subnets()
    {
        await _h.ActiveClusterAsync();
        _h.SetStatus<EksCluster>("c1", c => c.Status!.SubnetIds = null);
        _h.Apply(Objects.NodeGroup().With(ng => ng.Spec.SubnetIds = []));

        await _h.SettleAsync<ManagedNodeGroup>("ng1");

        Assert.Empty(_h.Eks.Writes);
        Assert.Equal(ConditionReasons.WaitingForCluster, _h.Get<ManagedNodeGroup>("ng1").Condition(ConditionTypes.Reconciling).Reason);
    }

    [Fact]
    public async Task A_held_version_stays_when_the_cluster_moves_on_and_equal_is_no_downgrade()
    {
        await _h.ActiveClusterAsync();
        await _h.ActiveNodeGroupAsync(configure: ng => ng.Spec.Version = "1.33");
        Assert.True(_h.Get<ManagedNodeGroup>("ng1").Status!.Conditions.IsTrue(ConditionTypes.Ready));

        _h.Eks.Change("c1", c => c with { Version = "1.34" });
        _h.SetStatus<EksCluster>("c1", c => c.Status!.Version = "1.34");
        await _h.ReconcileAsync<ManagedNodeGroup>("ng1");

        Assert.Empty(_h.Eks.Writes);
        Assert.True(_h.Get<ManagedNodeGroup>("ng1").Status!.Conditions.IsTrue(ConditionTypes.Ready));
    }

    [Fact]
    public async Task Events_say_what_was_sent()
    {
        await _h.ActiveClusterAsync();
        await _h.ActiveNodeGroupAsync();
        _h.Edit<ManagedNodeGroup>("ng1", ng =>
        {
            ng.Spec.Scaling = new NodeGroupScaling { MinSize = 2, MaxSize = 3, DesiredSize = 2 };
            ng.Spec.Labels = new Dictionary<string, string> { ["a"] = "b" };
        });
        await _h.ReconcileAsync<ManagedNodeGroup>("ng1");
        Assert.Single(_h.Kube.Events, e => e.Reason == "UpdateStarted"
            && e.Message == "ConfigUpdate: spec.scaling min=1 max=3 desired=2 -> min=2 max=3 desired=2; spec.labels [] -> [a=b]");
        _h.Eks.CompleteAllUpdates();

        await _h.DeleteAsync<ManagedNodeGroup>("ng1");
        await _h.ReconcileAsync<ManagedNodeGroup>("ng1");

        Assert.Single(_h.Kube.Events, e => e.Reason == "Deleting" && e.Message == "DeleteNodegroup sent for node group ng1");
    }

    [Fact]
    public async Task Adopting_a_node_group_records_the_role_it_runs_with()
    {
        await _h.ActiveClusterAsync();
        _h.Eks.Seed(new Nodegroup
        {
            ClusterName = "c1",
            NodegroupName = "ng1",
            NodegroupArn = FakeEks.NodegroupArn("c1", "ng1"),
            Version = "1.33",
            Status = NodegroupStatus.Active,
            NodeRole = FakeIam.Arn("theirs"),
            ScalingConfig = new NodegroupScalingConfig { MinSize = 1, MaxSize = 3, DesiredSize = 2 },
        });
        _h.Apply(Objects.NodeGroup().With(ng => ng.Metadata.Annotations = new Dictionary<string, string> { [Annotations.Adopt] = "true" }));

        await _h.SettleAsync<ManagedNodeGroup>("ng1");

        Assert.Equal(FakeIam.Arn("theirs"), _h.Get<ManagedNodeGroup>("ng1").Status!.NodeRoleArn);
        Assert.True(_h.Get<ManagedNodeGroup>("ng1").Status!.Conditions.IsTrue(ConditionTypes.Ready));
        Assert.DoesNotContain(_h.Iam.Calls, c => c.StartsWith("ReclaimRole", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_child_with_a_given_role_or_ObserveOnly_prepares_nothing_while_the_cluster_is_created()
    {
        _h.Apply(Objects.Cluster());
        await _h.SettleAsync<EksCluster>("c1");
        _h.Apply(Objects.NodeGroup("given").With(ng => ng.Spec.NodeRoleArn = FakeIam.Arn("mine")));
        _h.Apply(Objects.NodeGroup("observed").With(ng => ng.Spec.ManagementPolicy = ManagementPolicy.ObserveOnly));
        _h.Forget();

        await _h.ReconcileAsync<ManagedNodeGroup>("given");
        await _h.ReconcileAsync<ManagedNodeGroup>("observed");

        Assert.Null(_h.Get<ManagedNodeGroup>("given").Metadata.Finalizers);
        Assert.Null(_h.Get<ManagedNodeGroup>("observed").Metadata.Finalizers);
        Assert.Empty(_h.Iam.Calls);
    }

    [Fact]
    public async Task The_finalizer_pass_prepares_no_role_yet()
    {
        _h.Apply(Objects.Cluster());
        await _h.SettleAsync<EksCluster>("c1");
        _h.Apply(Objects.NodeGroup());
        _h.Forget();

        await _h.ReconcileAsync<ManagedNodeGroup>("ng1");

        Assert.Empty(_h.Iam.Calls);
        Assert.Equal([OperatorApi.Finalizer], _h.Get<ManagedNodeGroup>("ng1").Metadata.Finalizers);
    }
}
