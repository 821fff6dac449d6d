using EksOperator.Aws.Eks;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Operator.Tests.Support;
using EksOperator.Runtime;
using AutoMode = EksOperator.Entities.V1Alpha1.AutoMode;

namespace EksOperator.Operator.Tests.Kinds;

/// <summary>
/// EKS Auto Mode on an EksCluster, against a fake that answers as EKS does (FakeEks.Settings): the peers' bugs are the
/// bar. No update loop between absent, enabled:false and what EKS reports for a cluster without Auto Mode; never a
/// partial trio ("type for cluster update was not provided") or a no-op ("No changes needed").
/// </summary>
public sealed class AutoModeTests
{
    private const string NodeRole = "c1-eks-auto-node";
    private readonly Harness _h = new();

    /// <summary>An ACTIVE cluster with access entries; with Auto Mode the first create pass only makes the node role.</summary>
    private async Task<EksCluster> ApiClusterAsync(Action<EksCluster>? configure = null, string name = "c1")
    {
        var cluster = Objects.Cluster(name);
        cluster.Spec.Access = new ClusterAccess { AuthenticationMode = AuthenticationMode.Api };
        configure?.Invoke(cluster);
        _h.Apply(cluster);
        await _h.SettleAsync<EksCluster>(name);
        if (_h.Eks.Cluster(name) is null) await _h.ReconcileAsync<EksCluster>(name);
        _h.Eks.Activate(name);
        await _h.ReconcileAsync<EksCluster>(name);
        Assert.True(_h.Get<EksCluster>(name).Status!.Conditions.IsTrue(ConditionTypes.Ready), _h.Get<EksCluster>(name).Message());
        _h.Forget();
        return _h.Get<EksCluster>(name);
    }

    public static TheoryData<string, string> NonAutoShapes => new()
    {
        { "absent", "computeConfig null, no elasticLoadBalancing" },
        { "absent", "computeConfig null, elasticLoadBalancing false" },
        { "absent", "all three false" },
        { "disabled", "computeConfig null, no elasticLoadBalancing" },
        { "disabled", "computeConfig null, elasticLoadBalancing false" },
        { "disabled", "all three false" },
    };

    [Theory]
    [MemberData(nameof(NonAutoShapes))]
    public async Task Absent_and_enabled_false_match_every_shape_EKS_reports_for_a_cluster_without_auto_mode(string spec, string shape)
    {
        await ApiClusterAsync(c => c.Spec.AutoMode = spec == "disabled" ? new AutoMode { Enabled = false } : null);
        _h.Eks.Change("c1", c => shape switch
        {
            "computeConfig null, no elasticLoadBalancing" => c with { ComputeConfig = null, StorageConfig = null, KubernetesNetworkConfig = c.KubernetesNetworkConfig! with { ElasticLoadBalancing = null } },
            "computeConfig null, elasticLoadBalancing false" => c with { ComputeConfig = null, KubernetesNetworkConfig = c.KubernetesNetworkConfig! with { ElasticLoadBalancing = new ElasticLoadBalancing { Enabled = false } } },
            _ => c with
            {
                ComputeConfig = new ComputeConfig { Enabled = false, NodePools = [] },
                StorageConfig = new StorageConfig { BlockStorage = new BlockStorage { Enabled = false } },
                KubernetesNetworkConfig = c.KubernetesNetworkConfig! with { ElasticLoadBalancing = new ElasticLoadBalancing { Enabled = false } },
            },
        });

        for (var pass = 0; pass < 3; pass++)
        {
            _h.Resync();
            await _h.ReconcileAsync<EksCluster>("c1");
        }

        var cluster = _h.Get<EksCluster>("c1");
        Assert.Empty(_h.AllWrites);
        Assert.True(cluster.Status!.Conditions.IsTrue(ConditionTypes.Ready), cluster.Message());
        Assert.Null(cluster.Status.Drift);
        Assert.DoesNotContain(_h.Iam.Calls, c => c.Contains(NodeRole, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Enabling_on_a_running_cluster_prepares_both_roles_then_sends_the_whole_trio_once()
    {
        await ApiClusterAsync();
        _h.Edit<EksCluster>("c1", c => c.Spec.AutoMode = new AutoMode { Enabled = true });

        await _h.ReconcileAsync<EksCluster>("c1");

        // First the IAM side: the owned cluster role gains the Auto Mode policies and sts:TagSession; the node role is made.
        Assert.Empty(_h.Eks.Writes);
        var clusterRole = _h.Iam.Specs["c1-eks-cluster"];
        Assert.Equal(
            ["AmazonEKSBlockStoragePolicy", "AmazonEKSClusterPolicy", "AmazonEKSComputePolicy", "AmazonEKSLoadBalancingPolicy", "AmazonEKSNetworkingPolicy"],
            clusterRole.ManagedPolicyArns.Select(p => p.Split('/')[^1]).Order(StringComparer.Ordinal));
        Assert.Equal(["sts:AssumeRole", "sts:TagSession"], clusterRole.TrustedActions);
        var nodeRole = _h.Iam.Specs[NodeRole];
        Assert.Equal("ec2.amazonaws.com", nodeRole.TrustedService);
        Assert.Equal(["AmazonEKSWorkerNodeMinimalPolicy", "AmazonEC2ContainerRegistryPullOnly"], nodeRole.ManagedPolicyArns.Select(p => p.Split('/')[^1]));
        Assert.Equal(FakeIam.Arn(NodeRole), _h.Get<EksCluster>("c1").Status!.AutoModeNodeRoleArn);

        await _h.ReconcileAsync<EksCluster>("c1");

        Assert.Equal(["UpdateClusterConfig c1 spec.autoMode"], _h.Eks.Writes);
        var cluster = _h.Get<EksCluster>("c1");
        Assert.Equal("AutoModeUpdate", cluster.Status!.ActiveUpdate!.Type);
        Assert.Equal("Updating spec.autoMode from enabled=false to enabled=true, nodePools=[general-purpose,system]", cluster.Message());

        _h.Eks.CompleteAllUpdates();
        await _h.ReconcileAsync<EksCluster>("c1");
        for (var pass = 0; pass < 2; pass++)
        {
            _h.Resync();
            await _h.ReconcileAsync<EksCluster>("c1");
        }

        var compute = _h.Eks.Cluster("c1")!.ComputeConfig!;
        Assert.Equal((true, FakeIam.Arn(NodeRole)), (compute.Enabled, compute.NodeRoleArn));
        Assert.Equal(["general-purpose", "system"], compute.NodePools);
        Assert.True(_h.Eks.Cluster("c1")!.StorageConfig!.BlockStorage!.Enabled);
        Assert.Single(_h.Eks.Writes);
        Assert.True(_h.Get<EksCluster>("c1").Status!.Conditions.IsTrue(ConditionTypes.Ready));
    }

    [Fact]
    public async Task Disabling_sends_the_trio_off_once_and_removing_the_field_leaves_auto_mode_alone()
    {
        await ApiClusterAsync(c => c.Spec.AutoMode = new AutoMode { Enabled = true, NodePools = [AutoModeNodePool.System] });
        Assert.True(_h.Eks.Cluster("c1")!.ComputeConfig!.Enabled);

        _h.Edit<EksCluster>("c1", c => c.Spec.AutoMode = null);
        _h.Resync();
        await _h.ReconcileAsync<EksCluster>("c1");
        Assert.Empty(_h.Eks.Writes);

        _h.Edit<EksCluster>("c1", c => c.Spec.AutoMode = new AutoMode { Enabled = false });
        await _h.ReconcileAsync<EksCluster>("c1");
        Assert.Equal(["UpdateClusterConfig c1 spec.autoMode"], _h.Eks.Writes);
        _h.Eks.CompleteAllUpdates();
        for (var pass = 0; pass < 3; pass++)
        {
            _h.Resync();
            await _h.ReconcileAsync<EksCluster>("c1");
        }

        var aws = _h.Eks.Cluster("c1")!;
        Assert.Equal((false, false, false), (aws.ComputeConfig!.Enabled, aws.StorageConfig!.BlockStorage!.Enabled, aws.KubernetesNetworkConfig!.ElasticLoadBalancing!.Enabled));
        Assert.Single(_h.Eks.Writes);
        Assert.True(_h.Get<EksCluster>("c1").Status!.Conditions.IsTrue(ConditionTypes.Ready));
    }

    [Fact]
    public async Task A_create_with_auto_mode_carries_the_trio_and_the_owned_node_role_made_first()
    {
        await ApiClusterAsync(c => c.Spec.AutoMode = new AutoMode { Enabled = true });

        var aws = _h.Eks.Cluster("c1")!;
        Assert.Equal((true, FakeIam.Arn(NodeRole)), (aws.ComputeConfig!.Enabled, aws.ComputeConfig.NodeRoleArn));
        Assert.True(aws.StorageConfig!.BlockStorage!.Enabled);
        Assert.True(aws.KubernetesNetworkConfig!.ElasticLoadBalancing!.Enabled);
        Assert.Equal(["sts:AssumeRole", "sts:TagSession"], _h.Iam.Specs["c1-eks-cluster"].TrustedActions);
        Assert.True(_h.Iam.Exists(NodeRole));
    }

    [Fact]
    public async Task A_given_node_role_is_used_and_no_role_is_made_and_custom_pools_only_need_none()
    {
        const string given = "arn:aws:iam::111122223333:role/my-nodes";
        await ApiClusterAsync(c => c.Spec.AutoMode = new AutoMode { Enabled = true, NodeRoleArn = given });
        await ApiClusterAsync(c => c.Spec.AutoMode = new AutoMode { Enabled = true, NodePools = [] }, "c2");

        Assert.Equal(given, _h.Eks.Cluster("c1")!.ComputeConfig!.NodeRoleArn);
        var c2 = _h.Eks.Cluster("c2")!.ComputeConfig!;
        Assert.Equal((true, null), (c2.Enabled, c2.NodeRoleArn));
        Assert.Empty(c2.NodePools!);
        Assert.False(_h.Iam.Exists(NodeRole));
        Assert.False(_h.Iam.Exists("c2-eks-auto-node"));
    }

    [Fact]
    public async Task A_node_pool_change_keeps_the_role_EKS_has_and_a_different_role_is_drift_no_call_can_fix()
    {
        await ApiClusterAsync(c => c.Spec.AutoMode = new AutoMode { Enabled = true });
        _h.Edit<EksCluster>("c1", c => c.Spec.AutoMode!.NodePools = [AutoModeNodePool.GeneralPurpose]);
        await _h.ReconcileAsync<EksCluster>("c1");
        _h.Eks.CompleteAllUpdates();
        await _h.ReconcileAsync<EksCluster>("c1");
        Assert.Equal(["general-purpose"], _h.Eks.Cluster("c1")!.ComputeConfig!.NodePools);
        Assert.Equal(FakeIam.Arn(NodeRole), _h.Eks.Cluster("c1")!.ComputeConfig!.NodeRoleArn);

        _h.Eks.Change("c1", c => c with { ComputeConfig = c.ComputeConfig! with { NodeRoleArn = "arn:aws:iam::111122223333:role/elsewhere" } });
        _h.Resync();
        await _h.ReconcileAsync<EksCluster>("c1");

        var cluster = _h.Get<EksCluster>("c1");
        Assert.Equal(ConditionReasons.Drifted, cluster.Condition(ConditionTypes.Stalled).Reason);
        Assert.Contains("spec.autoMode.nodeRoleArn", cluster.Message(ConditionTypes.Stalled), StringComparison.Ordinal);
        Assert.Single(_h.Eks.Writes);
    }

    [Fact]
    public async Task A_node_role_without_built_in_pools_is_Stalled_naming_the_field_before_anything_is_sent()
    {
        var cluster = Objects.Cluster();
        cluster.Spec.Access = new ClusterAccess { AuthenticationMode = AuthenticationMode.Api };
        cluster.Spec.AutoMode = new AutoMode { Enabled = true, NodePools = [], NodeRoleArn = "arn:aws:iam::111122223333:role/nodes" };
        _h.Apply(cluster);

        await _h.SettleAsync<EksCluster>("c1");

        var stalled = _h.Get<EksCluster>("c1");
        Assert.Equal(ConditionReasons.InvalidSpec, stalled.Condition(ConditionTypes.Stalled).Reason);
        Assert.StartsWith("spec.autoMode.nodeRoleArn is set but spec.autoMode.nodePools is empty", stalled.Message(ConditionTypes.Stalled), StringComparison.Ordinal);
        Assert.Empty(_h.AllWrites);
    }

    [Fact]
    public async Task The_owned_node_role_is_deleted_after_the_cluster()
    {
        await ApiClusterAsync(c => c.Spec.AutoMode = new AutoMode { Enabled = true });
        await _h.DeleteAsync<EksCluster>("c1");
        await _h.ReconcileAsync<EksCluster>("c1");
        Assert.True(_h.Iam.Exists(NodeRole));

        _h.Eks.FinishDeleting("c1");
        await _h.ReconcileAsync<EksCluster>("c1");

        Assert.False(_h.Iam.Exists(NodeRole));
        Assert.False(_h.Iam.Exists("c1-eks-cluster"));
        Assert.Equal(["DeleteRole c1-eks-cluster", $"DeleteRole {NodeRole}"], _h.Iam.Calls.Where(c => c.StartsWith("DeleteRole", StringComparison.Ordinal)));
        Assert.False(_h.Exists<EksCluster>("c1"));
    }
}

/// <summary>Zonal shift, the control plane tier and hybrid networks: created with, then changed one update type per pass.</summary>
public sealed class NewerClusterSettingsTests
{
    private readonly Harness _h = new();

    [Fact]
    public async Task A_create_carries_them_and_the_defaults_EKS_reports_are_no_drift()
    {
        await _h.ActiveClusterAsync(configure: c =>
        {
            c.Spec.ZonalShift = new ZonalShift { Enabled = true };
            c.Spec.ControlPlaneScaling = new ControlPlaneScaling { Tier = ControlPlaneTier.TierXl };
            c.Spec.RemoteNetwork = new RemoteNetwork { RemoteNodeNetworks = [new RemoteCidrs { Cidrs = ["10.200.0.0/16"] }] };
        });
        var aws = _h.Eks.Cluster("c1")!;
        Assert.Equal((true, "tier-xl", "10.200.0.0/16"), (aws.ZonalShiftConfig!.Enabled, aws.ControlPlaneScalingConfig!.Tier, aws.RemoteNetworkConfig!.RemoteNodeNetworks![0].Cidrs![0]));

        await _h.ActiveClusterAsync("c2", c =>
        {
            c.Spec.ZonalShift = new ZonalShift { Enabled = false };
            c.Spec.ControlPlaneScaling = new ControlPlaneScaling { Tier = ControlPlaneTier.Standard };
            c.Spec.RemoteNetwork = new RemoteNetwork();
        });
        // What EKS reports when nothing was set: no zonal shift config, no tier, no remote networks.
        _h.Eks.Change("c2", c => c with { ZonalShiftConfig = null, ControlPlaneScalingConfig = null, RemoteNetworkConfig = null });
        _h.Resync();
        await _h.ReconcileAsync<EksCluster>("c2");
        Assert.Empty(_h.AllWrites);
    }

    [Fact]
    public async Task Several_changed_settings_go_as_several_updates_one_per_pass_each_followed_to_its_end()
    {
        await _h.ActiveClusterAsync();
        _h.Edit<EksCluster>("c1", c =>
        {
            c.Spec.ZonalShift = new ZonalShift { Enabled = true };
            c.Spec.ControlPlaneScaling = new ControlPlaneScaling { Tier = ControlPlaneTier.Tier4Xl };
            c.Spec.RemoteNetwork = new RemoteNetwork
            {
                RemoteNodeNetworks = [new RemoteCidrs { Cidrs = ["10.200.0.0/16"] }],
                RemotePodNetworks = [new RemoteCidrs { Cidrs = ["10.201.0.0/16"] }],
            };
        });

        var types = new List<string>();
        for (var pass = 0; pass < 8 && _h.Eks.Writes.Count < 4; pass++)
        {
            await _h.ReconcileAsync<EksCluster>("c1");
            if (_h.Get<EksCluster>("c1").Status!.ActiveUpdate is { } active)
            {
                types.Add(active.Type!);
                // Followed: a pass while it runs sends nothing more.
                var before = _h.Eks.Writes.Count;
                await _h.ReconcileAsync<EksCluster>("c1");
                Assert.Equal(before, _h.Eks.Writes.Count);
                _h.Eks.CompleteAllUpdates();
            }
        }

        Assert.Equal(["ZonalShiftConfigUpdate", "ControlPlaneScalingConfigUpdate", "RemoteNetworkConfigUpdate"], types);
        Assert.Equal(["UpdateClusterConfig c1 spec.zonalShift.enabled", "UpdateClusterConfig c1 spec.controlPlaneScaling.tier", "UpdateClusterConfig c1 spec.remoteNetwork"], _h.Eks.Writes);
        _h.Resync();
        await _h.ReconcileAsync<EksCluster>("c1");
        Assert.Equal(3, _h.Eks.Writes.Count);
        Assert.True(_h.Get<EksCluster>("c1").Status!.Conditions.IsTrue(ConditionTypes.Ready));
    }

    [Fact]
    public async Task ObserveOnly_reports_the_newer_settings_and_auto_mode_as_drift_and_changes_nothing()
    {
        await _h.ActiveClusterAsync();
        _h.Edit<EksCluster>("c1", c =>
        {
            c.Spec.ManagementPolicy = ManagementPolicy.ObserveOnly;
            c.Spec.Access = new ClusterAccess { AuthenticationMode = AuthenticationMode.Api };
            c.Spec.AutoMode = new AutoMode { Enabled = true, NodeRoleArn = "arn:aws:iam::111122223333:role/nodes" };
            c.Spec.ZonalShift = new ZonalShift { Enabled = true };
            c.Spec.ControlPlaneScaling = new ControlPlaneScaling { Tier = ControlPlaneTier.Tier8Xl };
        });
        _h.Eks.Change("c1", c => c with { AccessConfig = new AccessConfigResponse { AuthenticationMode = "API" } });

        await _h.ReconcileAsync<EksCluster>("c1");

        var cluster = _h.Get<EksCluster>("c1");
        Assert.Equal(
            ["spec.autoMode enabled=true, nodePools=[general-purpose,system] enabled=false", "spec.zonalShift.enabled True False", "spec.controlPlaneScaling.tier tier-8xl standard"],
            cluster.Status!.Drift!.Select(d => $"{d.Field} {d.Desired} {d.Actual}"));
        Assert.Empty(_h.AllWrites);
    }
}

/// <summary>Node repair and the MINIMAL update strategy on a node group.</summary>
public sealed class NodeGroupNewerSettingsTests
{
    private readonly Harness _h = new();

    [Fact]
    public async Task Created_with_them_changed_in_place_and_EKS_defaults_are_no_drift()
    {
        await _h.ActiveClusterAsync();
        await _h.ActiveNodeGroupAsync(configure: g =>
        {
            g.Spec.NodeRepair = new NodeRepair { Enabled = true };
            g.Spec.UpdateConfig = new NodeGroupUpdateConfig { MaxUnavailable = 1, UpdateStrategy = NodeGroupUpdateStrategy.Minimal };
        });
        var created = _h.Eks.Nodegroup("c1", "ng1")!;
        Assert.Equal((true, "MINIMAL"), (created.NodeRepairConfig!.Enabled, created.UpdateConfig!.UpdateStrategy));

        _h.Edit<ManagedNodeGroup>("ng1", g =>
        {
            g.Spec.NodeRepair = new NodeRepair { Enabled = false };
            g.Spec.UpdateConfig = new NodeGroupUpdateConfig { MaxUnavailable = 1, UpdateStrategy = NodeGroupUpdateStrategy.Default };
        });
        await _h.ReconcileAsync<ManagedNodeGroup>("ng1");
        Assert.Equal(["UpdateNodegroupConfig c1/ng1 spec.updateConfig,spec.nodeRepair.enabled"], _h.Eks.Writes);
        _h.Eks.CompleteAllUpdates();
        await _h.ReconcileAsync<ManagedNodeGroup>("ng1");

        // EKS reporting no strategy and no repair config is DEFAULT and off: nothing more is sent.
        _h.Eks.Change("c1", "ng1", n => n with { NodeRepairConfig = null, UpdateConfig = n.UpdateConfig! with { UpdateStrategy = null } });
        _h.Resync();
        await _h.ReconcileAsync<ManagedNodeGroup>("ng1");
        Assert.Single(_h.Eks.Writes);
        Assert.True(_h.Get<ManagedNodeGroup>("ng1").Status!.Conditions.IsTrue(ConditionTypes.Ready));
    }
}
