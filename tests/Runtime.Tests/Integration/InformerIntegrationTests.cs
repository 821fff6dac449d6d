using System.Collections.Concurrent;
using EksOperator.Runtime.Cache;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace EksOperator.Runtime.Tests.Integration;

/// <summary>The informer against the simulator over real HTTP, through dropped watches and forced 410s.</summary>
public sealed class InformerIntegrationTests(SimulatorFixture fixture) : IClassFixture<SimulatorFixture>
{
    private sealed class Restarts : IInformerMetrics
    {
        public ConcurrentQueue<string> Reasons { get; } = new();

        public void WatchRestarted(string resource, string reason) => Reasons.Enqueue(reason);
    }

    [Fact]
    public async Task No_change_is_missed_or_duplicated_across_dropped_watches_and_forced_expiry()
    {
        var ns = await fixture.NewNamespaceAsync();
        var restarts = new Restarts();
        var informer = new Informer<V1ConfigMap>(
            fixture.Api,
            ResourceType.For<V1ConfigMap>(),
            new InformerSettings([ns], null, TimeSpan.FromMinutes(1)),
            TimeProvider.System,
            NullLogger.Instance,
            restarts);
        var seen = new ConcurrentQueue<(StoreEventType Type, string Name, string? Value)>();
        informer.Subscribe(e => seen.Enqueue((e.Type, e.Object.Metadata.Name, e.Object.Data?["v"])));
        using var stop = new CancellationTokenSource();
        var running = informer.RunAsync(stop.Token);
        await informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));
        const int count = 10;
        var core = fixture.Client.CoreV1;

        for (var i = 0; i < count; i++)
        {
            await core.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = $"cm{i}" }, Data = new Dictionary<string, string> { ["v"] = "0" } }, ns);
        }

        await SimulatorFixture.Eventually(() => informer.Store.Count == count, "all created");

        // 1. Streams closed under the informer: it resumes from its resourceVersion; every change arrives once.
        fixture.Simulator.Faults.DropAllWatches();
        for (var i = 0; i < count; i++)
        {
            await core.PatchNamespacedConfigMapAsync(new V1Patch("""{"data":{"v":"1"}}""", V1Patch.PatchType.MergePatch), $"cm{i}", ns);
        }

        await SimulatorFixture.Eventually(() => seen.Count(e => e.Value == "1") == count, "first round of changes");

        // 2. History gone and streams closed: resuming gets 410, so the informer relists; only real differences are reported.
        fixture.Simulator.Faults.ExpireHistory();
        fixture.Simulator.Faults.DropAllWatches();
        for (var i = 0; i < count; i++)
        {
            await core.PatchNamespacedConfigMapAsync(new V1Patch("""{"data":{"v":"2"}}""", V1Patch.PatchType.MergePatch), $"cm{i}", ns);
        }

        await core.DeleteNamespacedConfigMapAsync("cm0", ns);
        // cm0's last update may or may not be seen before its deletion (a relist collapses it); the others must be.
        await SimulatorFixture.Eventually(
            () => informer.Store.Count == count - 1
                && Enumerable.Range(1, count - 1).All(i => seen.Any(e => e.Name == $"cm{i}" && e.Type == StoreEventType.Updated && e.Value == "2")),
            "second round");

        var events = seen.ToList();
        Assert.Equal(count, events.Count(e => e.Type == StoreEventType.Added));
        Assert.Equal(count, events.Count(e => e.Type == StoreEventType.Updated && e.Value == "1"));
        Assert.Single(events, e => e.Type == StoreEventType.Deleted);
        foreach (var group in events.Where(e => e.Type == StoreEventType.Updated).GroupBy(e => e.Name))
        {
            var values = group.Select(e => e.Value).ToList();
            Assert.Equal(values.Distinct().Count(), values.Count);
        }

        // The cache equals the server.
        var list = await core.ListNamespacedConfigMapAsync(ns);
        Assert.Equal(
            list.Items.Select(c => (c.Metadata.Name, c.Metadata.ResourceVersion)).Order(),
            informer.Store.List().Select(c => (c.Metadata.Name, c.Metadata.ResourceVersion)).Order());
        Assert.Contains("closed", restarts.Reasons);
        Assert.Contains("expired", restarts.Reasons);

        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
