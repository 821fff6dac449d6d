using EksOperator.Aws.Eks;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Operator.Tests.Support;
using EksOperator.Runtime;
using k8s.Models;

namespace EksOperator.Operator.Tests.Kinds;

/// <summary>
/// Each control-plane step's preflight: EKS's upgrade insights (refreshed when older than a day), add-ons without a
/// release for the next minor; blockers Stalled before any change, the force annotation for one step only.
/// </summary>
public sealed class UpgradePreflightTests
{
    private const string Deprecated = "Deprecated APIs removed in Kubernetes v1.34";
    private readonly Harness _h = new();

    private DateTimeOffset Now => _h.Time.GetUtcNow();

    private async Task UpgradeRequestedAsync(string to = "1.34")
    {
        await _h.ActiveClusterAsync();
        _h.Edit<EksCluster>("c1", c => c.Spec.Version = to);
    }

    private void DeprecatedApis(string status, DateTimeOffset refreshed) =>
        _h.Eks.SetInsight("c1", FakeEks.Insight("1.34", Deprecated, status, "Deprecated API usage detected within last 30 days.", refreshed,
            "Update manifests and API clients to use newer Kubernetes APIs.",
            new EksInsightResource(new EksInsightStatus(status, "in use"), "/apis/batch/v1beta1/cronjobs", null)) with
        {
            CategorySpecificSummary = new EksInsightCategorySpecificSummary(
                [new EksDeprecationDetail("/apis/batch/v1beta1/cronjobs", "/apis/batch/v1/cronjobs", "1.34", "1.30")], null),
        });

    [Fact]
    public async Task An_error_insight_stalls_the_step_naming_it_with_its_recommendation_and_resources_before_any_change()
    {
        await UpgradeRequestedAsync();
        DeprecatedApis("ERROR", Now);

        var result = await _h.ReconcileAsync<EksCluster>("c1");

        var cluster = _h.Get<EksCluster>("c1");
        Assert.Equal(ConditionReasons.UpgradeBlocked, cluster.Condition(ConditionTypes.Stalled).Reason);
        Assert.Equal(
            "cannot upgrade from 1.33 to 1.34: (1) EKS insight \"Deprecated APIs removed in Kubernetes v1.34\" is ERROR: Deprecated API usage detected within last 30 days; "
            + "recommendation: Update manifests and API clients to use newer Kubernetes APIs; resources: /apis/batch/v1beta1/cronjobs (use /apis/batch/v1/cronjobs), removed in 1.34. "
            + "To accept EKS's insights for this one step, annotate the EksCluster eks.operator.dev/force-upgrade: \"1.34\"",
            cluster.Message(ConditionTypes.Stalled));
        Assert.Equal(_h.Polling.AfterStall, result);
        Assert.Equal(UpgradePhase.Preflight, cluster.Status!.Upgrade!.Phase);
        Assert.Equal([new UpgradeInsightStatus { Name = Deprecated, Status = "ERROR", Reason = "Deprecated API usage detected within last 30 days." }], cluster.Status.Upgrade.Insights);
        Assert.Empty(_h.Eks.Writes);
    }

    [Fact]
    public async Task The_force_annotation_for_the_step_sends_force_and_says_so_while_one_for_another_minor_does_not()
    {
        await UpgradeRequestedAsync();
        DeprecatedApis("ERROR", Now);
        _h.Annotate<EksCluster>("c1", Annotations.ForceUpgrade, "1.35");
        await _h.ReconcileAsync<EksCluster>("c1");
        Assert.Equal(ConditionReasons.UpgradeBlocked, _h.Get<EksCluster>("c1").Condition(ConditionTypes.Stalled).Reason);
        Assert.Empty(_h.Eks.Writes);

        _h.Annotate<EksCluster>("c1", Annotations.ForceUpgrade, "1.34");
        await _h.ReconcileAsync<EksCluster>("c1");

        Assert.Equal(["UpdateClusterVersion c1 1.34 force"], _h.Eks.Writes);
        Assert.Single(_h.Kube.Events, e => e.Reason == "UpgradeForced" && e.Type == EventType.Warning);
        Assert.Equal(UpgradePhase.ControlPlane, _h.Get<EksCluster>("c1").Status!.Upgrade!.Phase);
    }

    [Fact]
    public async Task A_warning_insight_becomes_a_warning_event_and_status_and_the_step_goes_on_without_force()
    {
        await UpgradeRequestedAsync();
        DeprecatedApis("WARNING", Now);

        await _h.ReconcileAsync<EksCluster>("c1");

        Assert.Equal(["UpdateClusterVersion c1 1.34"], _h.Eks.Writes);
        var warning = Assert.Single(_h.Kube.Events, e => e.Reason == "UpgradeInsight");
        Assert.Equal(EventType.Warning, warning.Type);
        Assert.StartsWith("1.34: EKS insight \"Deprecated APIs removed in Kubernetes v1.34\" is WARNING", warning.Message, StringComparison.Ordinal);
        Assert.Equal("WARNING", Assert.Single(_h.Get<EksCluster>("c1").Status!.Upgrade!.Insights!).Status);
    }

    [Fact]
    public async Task Insights_older_than_a_day_are_refreshed_first_and_the_step_waits_for_the_refresh()
    {
        await UpgradeRequestedAsync();
        DeprecatedApis("PASSING", Now - TimeSpan.FromDays(2));

        await _h.ReconcileAsync<EksCluster>("c1");
        Assert.Equal(["StartInsightsRefresh c1"], _h.Eks.Writes);
        var cluster = _h.Get<EksCluster>("c1");
        Assert.Equal(ConditionReasons.UpgradePreflight, cluster.Condition(ConditionTypes.Reconciling).Reason);
        Assert.Equal(["the EKS upgrade insights refresh"], cluster.Status!.Upgrade!.Pending);

        // Still refreshing: no second start, no step.
        await _h.ReconcileAsync<EksCluster>("c1");
        Assert.Equal(["StartInsightsRefresh c1"], _h.Eks.Writes);
        Assert.StartsWith("EKS is refreshing the upgrade insights", _h.Get<EksCluster>("c1").Message(), StringComparison.Ordinal);

        // The refresh found deprecated APIs in use: they block the step.
        DeprecatedApis("ERROR", Now - TimeSpan.FromDays(2));
        _h.Eks.FinishRefresh("c1");
        await _h.ReconcileAsync<EksCluster>("c1");
        Assert.Equal(ConditionReasons.UpgradeBlocked, _h.Get<EksCluster>("c1").Condition(ConditionTypes.Stalled).Reason);
        Assert.Equal(["StartInsightsRefresh c1"], _h.Eks.Writes);
    }

    [Fact]
    public async Task A_refresh_that_leaves_the_insights_old_is_not_asked_for_again()
    {
        await UpgradeRequestedAsync();
        DeprecatedApis("PASSING", Now - TimeSpan.FromDays(2));
        await _h.ReconcileAsync<EksCluster>("c1");
        _h.Eks.FinishRefresh("c1");
        DeprecatedApis("PASSING", Now - TimeSpan.FromDays(2)); // EKS kept the old refresh time (a failed refresh does)

        await _h.ReconcileAsync<EksCluster>("c1");

        Assert.Equal(["StartInsightsRefresh c1", "UpdateClusterVersion c1 1.34"], _h.Eks.Writes);
    }

    [Fact]
    public async Task An_add_on_pinned_to_a_version_without_a_release_for_the_next_minor_blocks_the_step_and_force_does_not_skip_it()
    {
        _h.Eks.Offer("kube-proxy", "v1.33.0-eksbuild.1", ["1.33"], "1.33");
        _h.Eks.Offer("kube-proxy", "v1.34.0-eksbuild.1", ["1.34"], "1.34");
        await _h.ActiveClusterAsync();
        _h.Apply(new Addon
        {
            Metadata = new V1ObjectMeta { Name = "proxy" },
            Spec = new AddonSpec { ClusterRef = new ClusterReference { Name = "c1" }, Name = "kube-proxy", Version = "v1.33.0-eksbuild.1" },
        });
        _h.Edit<EksCluster>("c1", c => c.Spec.Version = "1.34");
        _h.Annotate<EksCluster>("c1", Annotations.ForceUpgrade, "1.34");

        await _h.ReconcileAsync<EksCluster>("c1");

        var cluster = _h.Get<EksCluster>("c1");
        Assert.Equal(ConditionReasons.UpgradeBlocked, cluster.Condition(ConditionTypes.Stalled).Reason);
        Assert.Equal(
            "cannot upgrade from 1.33 to 1.34: (1) Addon proxy pins kube-proxy v1.33.0-eksbuild.1, which has no release for Kubernetes 1.34 (compatible: v1.34.0-eksbuild.1); set its spec.version to one of them, or to default or latest",
            cluster.Message(ConditionTypes.Stalled));
        Assert.Empty(_h.Eks.Writes);
    }

    [Theory]
    [InlineData("vpc-cni", true)]
    [InlineData("coredns", false)] // an add-on no Addon object manages: the operator cannot move it
    public async Task An_add_on_compatibility_error_about_add_ons_the_addons_phase_moves_is_answered_with_force(string named, bool answered)
    {
        _h.Eks.Offer("vpc-cni", "v1.19.0-eksbuild.1", ["1.33"], "1.33");
        _h.Eks.Offer("vpc-cni", "v1.20.0-eksbuild.1", ["1.34"], "1.34");
        await _h.ActiveClusterAsync();
        _h.Apply(new Addon { Metadata = new V1ObjectMeta { Name = "cni" }, Spec = new AddonSpec { ClusterRef = new ClusterReference { Name = "c1" }, Name = "vpc-cni" } });
        await _h.SettleAsync<Addon>("cni");
        _h.Eks.ActivateAddon("c1", "vpc-cni");
        await _h.ReconcileAsync<Addon>("cni");
        _h.Forget();
        _h.Eks.SetInsight("c1", FakeEks.Insight("1.34", "EKS add-on version compatibility", "ERROR", "One or more installed EKS add-on versions are not compatible with next Kubernetes version.", Now) with
        {
            CategorySpecificSummary = new EksInsightCategorySpecificSummary(null, [new EksAddonCompatibilityDetail(named, ["v9"])]),
        });
        _h.Edit<EksCluster>("c1", c => c.Spec.Version = "1.34");

        await _h.ReconcileAsync<EksCluster>("c1");

        if (answered)
        {
            Assert.Equal(["UpdateClusterVersion c1 1.34 force"], _h.Eks.Writes);
            Assert.Single(_h.Kube.Events, e => e.Reason == "UpgradeInsightAnswered" && e.Message.Contains("vpc-cni", StringComparison.Ordinal));
        }
        else
        {
            Assert.Empty(_h.Eks.Writes);
            Assert.Equal(ConditionReasons.UpgradeBlocked, _h.Get<EksCluster>("c1").Condition(ConditionTypes.Stalled).Reason);
            Assert.Contains("add-on coredns (compatible: v9)", _h.Get<EksCluster>("c1").Message(ConditionTypes.Stalled), StringComparison.Ordinal);
        }
    }
}
