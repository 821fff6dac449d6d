using EksOperator.Controllers.Loop;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Operator.Tests.Support;
using EksOperator.Runtime;
using Microsoft.Extensions.Time.Testing;

namespace EksOperator.Operator.Tests.Loop;

/// <summary>What status messages say about an update in flight, and the kstatus condition set.</summary>
public sealed class UpdateTextAndConditionsTests
{
    [Theory]
    [InlineData("VersionUpdate", "Updating the version of cluster c1")]
    [InlineData("LoggingUpdate", "Updating the logging of cluster c1")]
    [InlineData("EndpointAccessUpdate", "Updating the endpoint access of cluster c1")]
    [InlineData("VpcConfigUpdate", "Updating the VPC configuration of cluster c1")]
    [InlineData("AccessConfigUpdate", "Updating the authentication mode of cluster c1")]
    [InlineData("UpgradePolicyUpdate", "Updating the upgrade policy of cluster c1")]
    [InlineData("ConfigUpdate", "Updating the configuration of cluster c1")]
    [InlineData("AssociateEncryptionConfig", "Turning on secrets encryption for cluster c1")]
    [InlineData("DeletionProtectionUpdate", "Updating the deletion protection of cluster c1")]
    [InlineData("ZonalShiftUpdate", "Updating cluster c1 (ZonalShiftUpdate)")]
    [InlineData(null, "Updating cluster c1")]
    public void Without_recorded_drift_the_update_type_is_put_in_words(string? type, string text)
    {
        var status = new EksClusterStatus { ActiveUpdate = type is null ? null : new ActiveUpdate { Id = "u", Type = type } };

        Assert.Equal(text, UpdateText.Of(status, "cluster c1"));
    }

    [Theory]
    [InlineData("a", "b", "Updating spec.x from b to a")]
    [InlineData(null, "b", "Updating spec.x from b to (unset)")]
    [InlineData("a", null, "Updating spec.x from (unset) to a")]
    public void Recorded_drift_names_the_first_field(string? desired, string? actual, string text)
    {
        var status = new EksClusterStatus
        {
            ActiveUpdate = new ActiveUpdate { Id = "u", Type = "LoggingUpdate" },
            Drift = [new DriftEntry { Field = "spec.x", Desired = desired, Actual = actual }, new DriftEntry { Field = "spec.y" }],
        };

        Assert.Equal(text, UpdateText.Of(status, "cluster c1"));
    }

    [Fact]
    public void Control_plane_steps_name_the_target_when_it_is_further()
    {
        Assert.Equal("Upgrading the control plane 1.33 -> 1.34", UpdateText.ControlPlaneStep("1.33", "1.34", "1.34"));
        Assert.Equal("Upgrading the control plane 1.33 -> 1.34 (target 1.35)", UpdateText.ControlPlaneStep("1.33", "1.34", "1.35"));
    }

    [Fact]
    public void Pausing_keeps_Ready_as_it_was_and_records_the_generation()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 5, 1, 10, 0, 0, TimeSpan.Zero));
        var conditions = new StatusConditions(time);
        var cluster = new EksCluster { Metadata = new k8s.Models.V1ObjectMeta { Name = "c1", Generation = 4 } };
        Assert.True(conditions.Ready(cluster, ConditionReasons.Available, "fine"));
        Assert.False(conditions.Ready(cluster, ConditionReasons.Available, "fine"));

        conditions.Paused(cluster);

        Assert.Equal("Ready=True/Available Reconciling=False/Paused Stalled=False/NotStalled", cluster.Kstatus());
        Assert.Equal("reconciliation is paused by the eks.operator.dev/paused annotation", cluster.Message(ConditionTypes.Reconciling));
        Assert.All(cluster.Status!.Conditions!, c => Assert.Equal(4, c.ObservedGeneration));
    }

    [Fact]
    public async Task A_paused_object_that_was_Ready_stays_Ready_and_nothing_is_read()
    {
        var h = new Harness();
        await h.ActiveClusterAsync();
        h.Annotate<EksCluster>("c1", Annotations.Paused, "true");
        h.Edit<EksCluster>("c1", c => c.Spec.Logging = [LogType.Api]);

        var result = await h.ReconcileAsync<EksCluster>("c1");

        Assert.Equal(ReconcileResult.Done, result);
        Assert.Empty(h.Eks.Calls);
        Assert.Equal("Ready=True/Available Reconciling=False/Paused Stalled=False/NotStalled", h.Get<EksCluster>("c1").Kstatus());
        Assert.Empty(h.Kube.Events);
    }

    [Fact]
    public void Newly_stalled_is_only_the_transition()
    {
        var time = new FakeTimeProvider();
        var conditions = new StatusConditions(time);
        var cluster = new EksCluster();
        Assert.False(StatusConditions.IsStalled(cluster));
        conditions.Stalled(cluster, ConditionReasons.InvalidSpec, "fix it");

        Assert.Equal("fix it", StatusConditions.NewlyStalled(wasStalled: false, cluster));
        Assert.Null(StatusConditions.NewlyStalled(wasStalled: true, cluster));
        conditions.Drifted(cluster, "differs");
        Assert.Null(StatusConditions.NewlyStalled(wasStalled: false, cluster));
        Assert.Equal("Ready=False/Drifted Reconciling=False/Drifted Stalled=False/NotStalled", cluster.Kstatus());
    }
}
