using k8s;
using Microsoft.Extensions.Hosting;

namespace EksOperator.Runtime.Tests.Integration;

/// <summary>
/// Two operators against one simulator: exactly one leads; handover on crash and on graceful stop. How long a handover
/// takes is a figure, not an assertion here (KubernetesClient's elector runs on the wall clock): bench/RuntimeBench
/// measures it into docs/benchmarks.md.
/// </summary>
public sealed class LeaderElectionIntegrationTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    private const string LeaseName = "widget-operator";

    private static void Elect(ControllerRuntimeOptions o) => o.LeaderElection.Enabled = true;

    private async Task<(IHost Leader, IHost Follower)> OneLeaderAsync(string ns, IHost a, IHost b)
    {
        await SimulatorFixture.Eventually(() => a.Manager().IsReady && b.Manager().IsReady, "caches warm on both replicas", TimeSpan.FromSeconds(15));
        await SimulatorFixture.Eventually(() => a.Manager().IsLeading || b.Manager().IsLeading, "a leader", TimeSpan.FromSeconds(15));

        // Both stay warm and only one leads while the leader renews its lease several times (seen on the Lease itself).
        var renewals = new HashSet<DateTime>();
        await SimulatorFixture.Eventually(
            async () =>
            {
                Assert.True(a.Manager().IsLeading ^ b.Manager().IsLeading, "exactly one replica leads");
                Assert.True(a.Manager().IsReady && b.Manager().IsReady, "caches stay warm on both replicas");
                var lease = await fixture.Client.CoordinationV1.ReadNamespacedLeaseAsync(LeaseName, ns);
                if (lease.Spec.RenewTime is { } renewed)
                {
                    renewals.Add(renewed);
                }

                return renewals.Count > 3;
            },
            "three renewals of the lease",
            TimeSpan.FromSeconds(15));

        return a.Manager().IsLeading ? (a, b) : (b, a);
    }

    private static void AssertNoOverlap(ReconcileLog log, string first, string second)
    {
        var passes = log.Passes.ToList();
        foreach (var x in passes.Where(p => p.Identity == first))
        {
            foreach (var y in passes.Where(p => p.Identity == second))
            {
                Assert.True(x.End <= y.Start || y.End <= x.Start, $"{first} and {second} reconciled at the same time");
            }
        }
    }

    [Fact]
    public async Task Killing_the_leader_hands_over_to_the_follower_and_no_reconcile_runs_on_both()
    {
        var ns = await fixture.NewNamespaceAsync();
        var log = new ReconcileLog();
        var killA = new KillSwitch();
        var killB = new KillSwitch();
        using var a = await TestOperator.StartHostAsync(fixture.NewClient(killA), ns, "a", log, Elect);
        using var b = await TestOperator.StartHostAsync(fixture.NewClient(killB), ns, "b", log, Elect);
        var (leader, follower) = await OneLeaderAsync(ns, a, b);
        var leaderName = leader == a ? "a" : "b";
        var followerName = leader == a ? "b" : "a";

        await fixture.CreateWidgetAsync(ns, "before", 1);
        await SimulatorFixture.Eventually(async () => (await fixture.GetWidgetAsync(ns, "before")).Status?.SeenSize == 1, "leader reconciles");
        Assert.Equal(0, log.Count(followerName));

        // The killed leader cannot renew, so its 4 s lease runs out and the follower takes it (15 s: liveness, not speed).
        (leader == a ? killA : killB).Kill();
        await SimulatorFixture.Eventually(() => follower.Manager().IsLeading, "takeover", TimeSpan.FromSeconds(15));
        Assert.False(leader.Manager().IsLeading);
        Assert.Equal(followerName, (await fixture.Client.CoordinationV1.ReadNamespacedLeaseAsync(LeaseName, ns)).Spec.HolderIdentity);

        await fixture.CreateWidgetAsync(ns, "after", 2);
        await SimulatorFixture.Eventually(async () => (await fixture.GetWidgetAsync(ns, "after")).Status?.SeenSize == 2, "new leader reconciles");
        Assert.Equal(0, log.Passes.Count(p => p.Identity == leaderName && p.Key.Name == "after"));
        AssertNoOverlap(log, leaderName, followerName);
    }

    [Fact]
    public async Task A_graceful_stop_releases_the_lease_so_the_successor_takes_over_at_once()
    {
        var ns = await fixture.NewNamespaceAsync();
        var log = new ReconcileLog();
        using var a = await TestOperator.StartHostAsync(fixture.NewClient(), ns, "a", log, LongLease);
        using var b = await TestOperator.StartHostAsync(fixture.NewClient(), ns, "b", log, LongLease);
        var (leader, follower) = await OneLeaderAsync(ns, a, b);
        var leaderName = leader == a ? "a" : "b";

        // Once StopAsync returns, the lease is no longer the old leader's: released ("") or already taken over.
        await leader.StopAsync();
        var released = await fixture.Client.CoordinationV1.ReadNamespacedLeaseAsync(LeaseName, ns);
        Assert.True(released.Spec.HolderIdentity != leaderName, $"the lease still names {leaderName} after its graceful stop: it was not released");

        // An unreleased lease would keep the follower out for a whole minute; a released one is taken at its next retry.
        await SimulatorFixture.Eventually(() => follower.Manager().IsLeading, "takeover of the released lease", TimeSpan.FromSeconds(20));
        var lease = await fixture.Client.CoordinationV1.ReadNamespacedLeaseAsync(LeaseName, ns);
        Assert.Equal(follower == a ? "a" : "b", lease.Spec.HolderIdentity);
        await follower.StopAsync();

        static void LongLease(ControllerRuntimeOptions o)
        {
            Elect(o);
            o.LeaderElection.LeaseDuration = TimeSpan.FromSeconds(60);
        }
    }
}
