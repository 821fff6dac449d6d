using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Operator.Tests.Support;
using EksOperator.Runtime;
using k8s.Models;

namespace EksOperator.Operator.Tests.Kinds;

/// <summary>The Addons phase of an upgrade step: after the control plane, core add-ons first, node groups last.</summary>
public sealed class UpgradeAddonsTests
{
    private readonly Harness _h = new();

    public UpgradeAddonsTests()
    {
        _h.Eks.Offer("vpc-cni", "v1.19.0-eksbuild.1", ["1.33"], "1.33");
        _h.Eks.Offer("vpc-cni", "v1.20.0-eksbuild.1", ["1.34"], "1.34");
        _h.Eks.Offer("aws-ebs-csi-driver", "v1.40.0-eksbuild.1", ["1.33", "1.34"], "1.33");
        _h.Eks.Offer("aws-ebs-csi-driver", "v1.41.0-eksbuild.1", ["1.34"], "1.34");
        _h.Eks.Offer("kube-proxy", "v1.33.0-eksbuild.1", ["1.33", "1.34"], "1.33", "1.34");
    }

    private async Task ActiveAddonAsync(string name, string addonName, string? version = null)
    {
        _h.Apply(new Addon
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new AddonSpec { ClusterRef = new ClusterReference { Name = "c1" }, Name = addonName, Version = version },
        });
        await _h.SettleAsync<Addon>(name);
        _h.Eks.ActivateAddon("c1", addonName);
        await _h.ReconcileAsync<Addon>(name);
        Assert.True(_h.Get<Addon>(name).Status!.Conditions.IsTrue(ConditionTypes.Ready), _h.Get<Addon>(name).Kstatus());
    }

    private async Task FinishUpdateAsync<T>(string name)
        where T : class, IEksResource
    {
        _h.Eks.CompleteUpdate(_h.Get<T>(name).CommonStatus!.ActiveUpdate!.Id);
        await _h.ReconcileAsync<T>(name);
    }

    [Fact]
    public async Task After_the_control_plane_the_core_add_ons_move_then_the_rest_then_the_node_groups()
    {
        await _h.ActiveClusterAsync();
        await _h.ActiveNodeGroupAsync();
        await ActiveAddonAsync("ebs", "aws-ebs-csi-driver");
        await ActiveAddonAsync("cni", "vpc-cni", "latest");
        await ActiveAddonAsync("proxy", "kube-proxy", "v1.33.0-eksbuild.1"); // pinned, compatible with 1.34: stays
        _h.Forget();
        _h.Edit<EksCluster>("c1", c => c.Spec.Version = "1.34");

        await _h.ReconcileAsync<EksCluster>("c1");
        await FinishUpdateAsync<EksCluster>("c1");
        var cluster = _h.Get<EksCluster>("c1");
        Assert.Equal(UpgradePhase.Addons, cluster.Status!.Upgrade!.Phase);
        Assert.Equal(["cni", "ebs"], cluster.Status.Upgrade.Pending); // core first
        Assert.Equal("Upgrading add-ons to 1.34: waiting for cni, ebs", cluster.Message());
        Assert.Equal(ConditionReasons.UpgradingAddons, cluster.Condition(ConditionTypes.Reconciling).Reason);

        // The node group and the non-core add-on wait; the core add-on moves.
        await _h.ReconcileAsync<ManagedNodeGroup>("ng1");
        Assert.Contains("finish the Addons phase", _h.Get<ManagedNodeGroup>("ng1").Message(), StringComparison.Ordinal);
        await _h.ReconcileAsync<Addon>("ebs");
        Assert.Contains("Waiting for the core add-ons (cni)", _h.Get<Addon>("ebs").Message(), StringComparison.Ordinal);
        Assert.Equal(["UpdateClusterVersion c1 1.34"], _h.Eks.Writes);

        await _h.ReconcileAsync<Addon>("cni");
        Assert.Equal("UpdateAddon c1/vpc-cni version=v1.20.0-eksbuild.1", _h.Eks.Writes[^1]);
        await FinishUpdateAsync<Addon>("cni");
        await _h.ReconcileAsync<EksCluster>("c1");
        Assert.Equal(["ebs"], _h.Get<EksCluster>("c1").Status!.Upgrade!.Pending);

        await _h.ReconcileAsync<Addon>("ebs");
        Assert.Equal("UpdateAddon c1/aws-ebs-csi-driver version=v1.41.0-eksbuild.1", _h.Eks.Writes[^1]);
        await FinishUpdateAsync<Addon>("ebs");
        await _h.ReconcileAsync<EksCluster>("c1");
        cluster = _h.Get<EksCluster>("c1");
        Assert.Equal(UpgradePhase.NodeGroups, cluster.Status!.Upgrade!.Phase);
        Assert.Equal(["ng1"], cluster.Status.Upgrade.Pending);

        await _h.ReconcileAsync<ManagedNodeGroup>("ng1");
        await FinishUpdateAsync<ManagedNodeGroup>("ng1");
        await _h.ReconcileAsync<EksCluster>("c1");

        Assert.Null(_h.Get<EksCluster>("c1").Status!.Upgrade);
        Assert.Equal(
            ["UpdateClusterVersion c1 1.34", "UpdateAddon c1/vpc-cni version=v1.20.0-eksbuild.1", "UpdateAddon c1/aws-ebs-csi-driver version=v1.41.0-eksbuild.1", "UpdateNodegroupVersion c1/ng1 1.34"],
            _h.Eks.Writes);
        Assert.Equal("v1.33.0-eksbuild.1", _h.Eks.Addon("c1", "kube-proxy")!.AddonVersion);
    }

    [Fact]
    public async Task A_step_whose_status_write_was_lost_still_moves_its_add_ons_before_its_node_groups()
    {
        await _h.ActiveClusterAsync();
        await _h.ActiveNodeGroupAsync();
        await ActiveAddonAsync("cni", "vpc-cni", "default");
        _h.Edit<EksCluster>("c1", c => c.Spec.Version = "1.34");
        await _h.ReconcileAsync<EksCluster>("c1");
        Assert.Equal("UpdateClusterVersion c1 1.34", _h.Eks.Writes[^1]);
        // The operator was killed before it wrote what it had sent (as in the chaos kill test): the status is the one
        // from before the step, and EKS finished the step meanwhile.
        _h.SetStatus<EksCluster>("c1", c =>
        {
            c.Status!.Upgrade = null;
            c.Status.ActiveUpdate = null;
        });
        _h.Eks.CompleteAllUpdates();
        _h.Forget();

        await _h.ReconcileAsync<EksCluster>("c1");
        var cluster = _h.Get<EksCluster>("c1");
        Assert.Equal(new UpgradeProgress { From = "1.33", To = "1.34", Step = "1.34", Phase = UpgradePhase.Addons, Pending = cluster.Status!.Upgrade!.Pending }, cluster.Status.Upgrade);
        Assert.Equal(["cni"], cluster.Status.Upgrade.Pending);
        Assert.Equal(ConditionReasons.UpgradingAddons, cluster.Condition(ConditionTypes.Reconciling).Reason);
        await _h.ReconcileAsync<ManagedNodeGroup>("ng1");
        Assert.Contains("finish the Addons phase", _h.Get<ManagedNodeGroup>("ng1").Message(), StringComparison.Ordinal);
        Assert.Empty(_h.Eks.Writes);

        await _h.ReconcileAsync<Addon>("cni");
        await FinishUpdateAsync<Addon>("cni");
        await _h.ReconcileAsync<EksCluster>("c1");
        Assert.Equal(UpgradePhase.NodeGroups, _h.Get<EksCluster>("c1").Status!.Upgrade!.Phase);
        await _h.ReconcileAsync<ManagedNodeGroup>("ng1");
        await FinishUpdateAsync<ManagedNodeGroup>("ng1");
        await _h.ReconcileAsync<EksCluster>("c1");

        Assert.Null(_h.Get<EksCluster>("c1").Status!.Upgrade);
        Assert.Equal(["UpdateAddon c1/vpc-cni version=v1.20.0-eksbuild.1", "UpdateNodegroupVersion c1/ng1 1.34"], _h.Eks.Writes);
        Assert.Single(_h.Kube.Events, e => e.Reason == "UpgradeComplete");
    }

    [Fact]
    public async Task Without_an_upgrade_in_progress_a_non_core_add_on_does_not_wait_for_core_ones()
    {
        _h.Eks.Offer("aws-ebs-csi-driver", "v1.40.1-eksbuild.1", ["1.33"]);
        await _h.ActiveClusterAsync();
        await ActiveAddonAsync("ebs", "aws-ebs-csi-driver");
        _h.Apply(new Addon { Metadata = new V1ObjectMeta { Name = "cni" }, Spec = new AddonSpec { ClusterRef = new ClusterReference { Name = "c1" }, Name = "vpc-cni" } });
        _h.Forget();
        _h.Edit<Addon>("ebs", a => a.Spec.Version = "v1.40.1-eksbuild.1"); // while vpc-cni is not yet ACTIVE

        await _h.ReconcileAsync<Addon>("ebs");

        Assert.Equal("UpdateAddon c1/aws-ebs-csi-driver version=v1.40.1-eksbuild.1", _h.Eks.Writes[^1]);
    }
}
