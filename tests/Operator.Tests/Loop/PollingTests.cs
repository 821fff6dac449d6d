using EksOperator.Controllers.Loop;
using EksOperator.Entities;
using EksOperator.Entities.V1Alpha1;
using EksOperator.Hosting;
using EksOperator.Runtime;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using k8s.Models;

namespace EksOperator.Operator.Tests.Loop;

/// <summary>Requeue timing: until done when the duration is known, then a fraction of the time spent, within the bounds.</summary>
public sealed class PollingTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 5, 1, 10, 0, 0, TimeSpan.Zero));

    private Polling Polling(Action<OperatorOptions>? configure = null)
    {
        var options = new OperatorOptions();
        configure?.Invoke(options);
        return new Polling(Options.Create(options), _time);
    }

    private EksCluster Reconciling(string reason, DateTimeOffset? since = null, string? uid = "uid-1")
    {
        var cluster = new EksCluster { Metadata = new V1ObjectMeta { Name = "c1", Uid = uid, Generation = 1 } };
        cluster.EnsureStatus().Conditions = [new V1Condition { Type = ConditionTypes.Reconciling, Status = "True", Reason = reason, LastTransitionTime = (since ?? _time.GetUtcNow()).UtcDateTime }];
        return cluster;
    }

    public static TheoryData<string, int, int> KnownDurations => new()
    {
        // phase, seconds already spent, expected seconds to wait
        { ConditionReasons.Creating, 0, 300 },      // 12 min expected: capped at MaxPollInterval (5 min)
        { ConditionReasons.Creating, 600, 125 },    // 2 min left, plus MinPollInterval
        { ConditionReasons.Creating, 715, 10 },     // 5 s left, plus MinPollInterval
        { ConditionReasons.Creating, 720, 72 },     // due: 10 % of 12 min
        { ConditionReasons.Creating, 7200, 300 },   // long overdue: 10 % capped at 5 min
        { ConditionReasons.Updating, 0, 185 },      // config update: 3 min + 5 s
        { ConditionReasons.UpgradingControlPlane, 0, 300 },
        { ConditionReasons.Deleting, 200, 105 },    // 5 min delete
        { "SomethingElse", 0, 5 },                  // unknown duration: 10 % of nothing, at least 5 s
        { "SomethingElse", 100, 10 },
    };

    [Theory]
    [MemberData(nameof(KnownDurations))]
    public void While_changing_the_wait_follows_the_expected_duration(string phase, int spent, int wait)
    {
        var polling = Polling();
        var cluster = Reconciling(phase);
        Assert.Equal(ReconcileOutcome.RequeueAfter, polling.WhileChanging(cluster).Outcome); // first sight of the phase: it starts now

        _time.Advance(TimeSpan.FromSeconds(spent));

        Assert.Equal(ReconcileResult.RequeueAfter(TimeSpan.FromSeconds(wait)), polling.WhileChanging(cluster));
    }

    [Fact]
    public void A_phase_that_began_before_this_process_counts_from_the_condition()
    {
        var since = _time.GetUtcNow();
        _time.Advance(TimeSpan.FromMinutes(20));
        var polling = Polling(); // started 20 minutes after the create

        Assert.Equal(ReconcileResult.RequeueAfter(TimeSpan.FromMinutes(2)), polling.WhileChanging(Reconciling(ConditionReasons.Creating, since)));
    }

    [Fact]
    public void A_phase_that_began_in_this_process_counts_from_first_sight_not_from_an_older_condition()
    {
        var polling = Polling();
        _time.Advance(TimeSpan.FromMinutes(20));
        // The condition says Reconciling since the start (waiting for a cluster), but creating begins now.
        var cluster = Reconciling(ConditionReasons.Creating, _time.GetUtcNow() - TimeSpan.FromMinutes(20));

        Assert.Equal(ReconcileResult.RequeueAfter(TimeSpan.FromMinutes(5)), polling.WhileChanging(cluster));
    }

    [Fact]
    public void A_new_phase_or_a_newer_transition_restarts_the_clock()
    {
        var polling = Polling();
        var cluster = Reconciling(ConditionReasons.Updating);
        polling.WhileChanging(cluster);
        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(ReconcileResult.RequeueAfter(TimeSpan.FromMinutes(1)), polling.WhileChanging(cluster)); // overdue: 10 % of 10 min

        // A second update after the first finished: same reason, newer transition.
        var again = Reconciling(ConditionReasons.Updating, _time.GetUtcNow());
        Assert.Equal(ReconcileResult.RequeueAfter(TimeSpan.FromSeconds(185)), polling.WhileChanging(again));

        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(ReconcileResult.RequeueAfter(TimeSpan.FromMinutes(5)), polling.WhileChanging(Reconciling(ConditionReasons.Creating, _time.GetUtcNow() - TimeSpan.FromMinutes(1))));
    }

    [Fact]
    public void Without_a_uid_the_condition_time_is_all_there_is()
    {
        var polling = Polling();
        var cluster = Reconciling(ConditionReasons.Creating, _time.GetUtcNow(), uid: null);
        _time.Advance(TimeSpan.FromMinutes(11));

        Assert.Equal(ReconcileResult.RequeueAfter(TimeSpan.FromSeconds(65)), polling.WhileChanging(cluster));
        // No condition at all: starts now, no known duration.
        var bare = new EksCluster { Metadata = new V1ObjectMeta { Name = "c2" } };
        Assert.Equal(ReconcileResult.RequeueAfter(TimeSpan.FromSeconds(5)), polling.WhileChanging(bare));
    }

    [Theory]
    [InlineData(0.5, 360)]   // a simulator at double speed: 6 min expected
    [InlineData(0.0, 5)]     // scale 0 turns expectations off
    [InlineData(double.NaN, 5)]
    public void The_scale_applies_to_every_expected_duration(double scale, int expectedSeconds)
    {
        var polling = Polling(o =>
        {
            o.ExpectedDurations.Scale = scale;
            o.MaxPollInterval = TimeSpan.FromHours(1);
        });
        var cluster = Reconciling(ConditionReasons.Creating);

        Assert.Equal(ReconcileResult.RequeueAfter(TimeSpan.FromSeconds(expectedSeconds + (scale > 0 ? 5 : 0))), polling.WhileChanging(cluster));
        Assert.Equal(scale > 0 ? TimeSpan.FromSeconds(expectedSeconds) : null, polling.Expected(cluster, ConditionReasons.Creating));
    }

    [Fact]
    public void A_zero_duration_turns_one_expectation_off()
    {
        var polling = Polling(o => o.ExpectedDurations.ClusterCreate = TimeSpan.Zero);
        Assert.Null(polling.Expected(Reconciling(ConditionReasons.Creating), ConditionReasons.Creating));
        Assert.Equal(TimeSpan.FromMinutes(3), polling.Expected(new ManagedNodeGroup(), ConditionReasons.UpgradingNodeGroups));
        Assert.Equal(TimeSpan.FromMinutes(3), polling.Expected(new FargateProfile(), ConditionReasons.Creating));
        Assert.Null(polling.Expected(new FargateProfile(), ConditionReasons.Updating));
    }

    [Theory]
    [InlineData(10, 5)]
    [InlineData(3, 3)]
    public void Fixed_waits(int resyncMinutes, int afterStallMinutes)
    {
        var polling = Polling(o =>
        {
            o.ResyncPeriod = TimeSpan.FromMinutes(resyncMinutes);
            o.MinPollInterval = TimeSpan.FromSeconds(7);
        });

        Assert.Equal(ReconcileResult.RequeueAfter(TimeSpan.FromMinutes(resyncMinutes)), polling.Resync);
        Assert.Equal(ReconcileResult.RequeueAfter(TimeSpan.FromSeconds(7)), polling.Soon);
        Assert.Equal(ReconcileResult.RequeueAfter(TimeSpan.FromMinutes(afterStallMinutes)), polling.AfterStall);
    }

    [Theory]
    [InlineData(Annotations.Paused, "true", true, false)]
    [InlineData(Annotations.Paused, "false", false, false)]
    [InlineData(Annotations.Adopt, "true", false, true)]
    [InlineData(Annotations.Adopt, "yes", false, false)]
    [InlineData("other", "true", false, false)]
    public void Annotations_are_read_exactly(string key, string value, bool paused, bool adopt)
    {
        var cluster = new EksCluster { Metadata = new V1ObjectMeta { Annotations = new Dictionary<string, string> { [key] = value } } };

        Assert.Equal(paused, Controllers.Loop.Polling.IsPaused(cluster));
        Assert.Equal(adopt, Controllers.Loop.Polling.WantsAdoption(cluster));
        Assert.False(Controllers.Loop.Polling.IsPaused(new EksCluster()));
        Assert.False(Controllers.Loop.Polling.WantsAdoption(new EksCluster()));
    }

    [Fact]
    public void Policies_are_read_from_the_common_spec()
    {
        Assert.True(Controllers.Loop.Polling.IsObserveOnly(new EksCluster { Spec = new EksClusterSpec { ManagementPolicy = ManagementPolicy.ObserveOnly } }));
        Assert.False(Controllers.Loop.Polling.IsObserveOnly(new EksCluster()));
    }
}
