using System.Diagnostics;
using k8s;
using Microsoft.Extensions.Hosting;

namespace EksOperator.Runtime.Tests.Integration;

/// <summary>Two operators against one simulator: exactly one leads; handover on crash and on graceful stop.</summary>
public sealed class LeaderElectionIntegrationTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(4);

    private static void Elect(ControllerRuntimeOptions o) => o.LeaderElection.Enabled = true;

    private static async Task<(IHost Leader, IHost Follower)> OneLeaderAsync(IHost a, IHost b)
    {
        await SimulatorFixture.Eventually(() => a.Manager().IsReady && b.Manager().IsReady, "caches warm on both replicas", TimeSpan.FromSeconds(15));
        await SimulatorFixture.Eventually(() => a.Manager().IsLeading || b.Manager().IsLeading, "a leader", TimeSpan.FromSeconds(15));

        // Both stay warm, only one leads, for a while (several renewals).
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(1.5))
        {
            Assert.True(a.Manager().IsLeading ^ b.Manager().IsLeading, "exactly one replica leads");
            Assert.True(a.Manager().IsReady && b.Manager().IsReady, "caches stay warm on both replicas");
            await Task.Delay(50);
        }

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
    public async Task Killing_the_leader_hands_over_within_the_lease_duration_and_no_reconcile_runs_on_both()
    {
        var ns = await fixture.NewNamespaceAsync();
        var log = new ReconcileLog();
        var killA = new KillSwitch();
        var killB = new KillSwitch();
        using var a = await TestOperator.StartHostAsync(fixture.NewClient(killA), ns, "a", log, Elect);
        using var b = await TestOperator.StartHostAsync(fixture.NewClient(killB), ns, "b", log, Elect);
        var (leader, follower) = await OneLeaderAsync(a, b);
        var leaderName = leader == a ? "a" : "b";
        var followerName = leader == a ? "b" : "a";

        await fixture.CreateWidgetAsync(ns, "before", 1);
        await SimulatorFixture.Eventually(async () => (await fixture.GetWidgetAsync(ns, "before")).Status?.SeenSize == 1, "leader reconciles");
        Assert.Equal(0, log.Count(followerName));

        (leader == a ? killA : killB).Kill();
        var killed = Stopwatch.StartNew();
        await SimulatorFixture.Eventually(() => follower.Manager().IsLeading, "takeover", TimeSpan.FromSeconds(15));
        var handover = killed.Elapsed;
        Assert.False(leader.Manager().IsLeading);

        // The lease may have been renewed just before the kill, so allow one lease plus the elector's retry jitter.
        Assert.True(handover < LeaseDuration + TimeSpan.FromSeconds(2.5), $"handover took {handover}");

        await fixture.CreateWidgetAsync(ns, "after", 2);
        await SimulatorFixture.Eventually(async () => (await fixture.GetWidgetAsync(ns, "after")).Status?.SeenSize == 2, "new leader reconciles");
        Assert.Equal(0, log.Passes.Count(p => p.Identity == leaderName && p.Key.Name == "after"));
        AssertNoOverlap(log, leaderName, followerName);
        Console.WriteLine($"crash handover: {handover.TotalMilliseconds:F0} ms (lease {LeaseDuration.TotalSeconds} s)");
    }

    [Fact]
    public async Task A_graceful_stop_releases_the_lease_so_the_successor_takes_over_at_once()
    {
        var ns = await fixture.NewNamespaceAsync();
        var log = new ReconcileLog();
        using var a = await TestOperator.StartHostAsync(fixture.NewClient(), ns, "a", log, Elect);
        using var b = await TestOperator.StartHostAsync(fixture.NewClient(), ns, "b", log, Elect);
        var (leader, follower) = await OneLeaderAsync(a, b);

        var stopping = Stopwatch.StartNew();
        await leader.StopAsync();
        await SimulatorFixture.Eventually(() => follower.Manager().IsLeading, "takeover", TimeSpan.FromSeconds(15));
        var handover = stopping.Elapsed;

        Assert.True(handover < LeaseDuration, $"handover took {handover}; the lease was not released");
        var lease = await fixture.Client.CoordinationV1.ReadNamespacedLeaseAsync("widget-operator", ns);
        Assert.Equal(follower == a ? "a" : "b", lease.Spec.HolderIdentity);
        Console.WriteLine($"graceful handover: {handover.TotalMilliseconds:F0} ms");
        await follower.StopAsync();
    }
}
